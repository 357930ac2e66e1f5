"""Lesson 05: simulated surveys that show why prevalence studies of PCD disagree.

``models`` (pure, vectorised simulations; randomness passed in as ``rng``) → ``figures`` (plotly
builders and their text descriptions) → ``ui`` (one ipywidgets factory per simulator).
``exercises`` holds the self-check functions; it uses the models only. Importing this package
creates and displays nothing and imports neither plotly nor ipywidgets.
"""
