"""The paper layer: the site printed to PDF in a headless browser (``browser``, ``pdf``, page scripts in ``js/``)."""
