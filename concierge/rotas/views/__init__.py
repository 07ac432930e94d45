"""The rota's pages (``/rotas/``), server-rendered; forms post, so they work without
JavaScript."""
