# One image for the collector and the dashboard: the project with every extra.
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY sdk ./sdk
COPY collector ./collector
COPY dashboard ./dashboard
COPY evaluator ./evaluator
COPY cli ./cli
# The PostgreSQL driver is only needed when LANTERNA_DATABASE_URL points at PostgreSQL.
RUN pip install --no-cache-dir ".[all]" "psycopg[binary]>=3.1"

ENV LANTERNA_HOME=/data
VOLUME ["/data"]
EXPOSE 4318 8501
CMD ["lanterna", "server", "--host", "0.0.0.0", "--port", "4318"]
