"""Admin pages beyond the model forms: the period grid and the file import of values."""
