"""The popular article's claims, checked: ``models`` (pandas: tables, filters) and ``figures``."""
