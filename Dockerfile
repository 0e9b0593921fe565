# Production image: the register under gunicorn, static files served by whitenoise.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DEBUG=false

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# collectstatic needs settings to import; the real secret comes from the environment at run time.
RUN SECRET_KEY=collectstatic-only-build-time-placeholder-key-000000 python manage.py collectstatic --noinput

# The archived originals' folder (docker-compose.yml mounts a volume there), the app's to write.
RUN useradd --system --uid 1000 register && chown -R register /app \
    && mkdir -p /var/lib/register/originals /var/lib/register/dumps && chown -R register /var/lib/register
USER register

EXPOSE 8000

# Migrations run on start; the seed data is only added where missing, so restarts change nothing.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_seed_data && gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3} --timeout ${GUNICORN_TIMEOUT:-120} --access-logfile -"]
