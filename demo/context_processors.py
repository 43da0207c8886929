from demo.banner import demo_data_loaded


def demo_banner(request) -> dict:
    """Whether to label every page as showing illustrative demo data."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"demo_data": demo_data_loaded()}
