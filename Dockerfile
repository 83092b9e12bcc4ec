# The mdr service image: API (`mdr serve`) or scheduler (`mdr scheduler`).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml constraints.txt README.md alembic.ini ./
COPY mdr ./mdr
COPY entities ./entities
COPY reconciliation ./reconciliation
COPY sync ./sync
COPY api ./api
COPY migrations ./migrations
RUN pip install -c constraints.txt . && useradd --system --uid 10001 mdr
USER mdr
EXPOSE 8000
CMD ["mdr", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
