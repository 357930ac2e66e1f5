"""The notebook pack's library: data loading, models, figures and interactive UIs.

Layers, imported one way only::

    widgets.data  ->  widgets.<topic>.models  ->  widgets.<topic>.figures  ->  widgets.<topic>.ui

``models`` modules use numpy, pandas, scipy and statsmodels only; ``figures`` modules add plotly and
return ``go.Figure``; only ``ui`` modules import ipywidgets. Importing ``widgets`` creates and
displays nothing.
"""

__version__ = "0.1.0"
