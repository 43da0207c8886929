from rankings.demo import DEMO_SOURCE


def saima(request) -> dict:
    """Whether the illustrative demo data is loaded, so every page can say so."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    from districts.models import Indicator

    return {"demo_data": Indicator.objects.filter(source=DEMO_SOURCE).exists()}
