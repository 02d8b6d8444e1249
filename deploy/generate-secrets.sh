#!/bin/sh
# Writes deploy/secrets.env with fresh keys and secrets for a first start; compose reads it as
# the intranet containers' env file and interpolates the portal's two secrets from it:
#   sh deploy/generate-secrets.sh [SMS providers, default http]  (then keep the file secret)
# For Kubernetes, put the same lines in the songda-secrets Secret (deploy/k8s/config.yaml).
# Never run it again over a live deployment: data sealed under the old keys needs them
# (rotate with `songda keys rotate` instead).
set -eu
out="$(dirname "$0")/secrets.env"
[ -e "$out" ] && { echo "$out exists: remove it only if nothing was sealed with it" >&2; exit 1; }
rand() { openssl rand -base64 32 | tr -d '\n'; }
year=$(date +%Y)
sms=""
for kind in $(echo "${1:-http}" | tr ',' ' '); do
  case "$kind" in
    http) sms="${sms}http-sms=$(rand),";;
    smpp) sms="${sms}smpp=$(rand),";;
    *) echo "unknown SMS provider $kind (http, smpp)" >&2; exit 1;;
  esac
done
umask 077
link=$(rand)
portal_key="portal${year}:$(rand)"
cat > "$out" <<SECRETS
POSTGRES_PASSWORD=$(openssl rand -hex 24)
PORTAL_DB_PASSWORD=$(openssl rand -hex 24)
SONGDA_SMS_PROVIDERS=${1:-http}
SONGDA_DATA_KEYS=k${year}:$(rand)
SONGDA_INDEX_KEY=$(rand)
SONGDA_PORTAL_SECRET=${link}
SONGDA_CALLBACK_SECRET=$(rand)
SONGDA_PROVIDER_SECRETS=${sms}smtp=$(rand),sandbox-post=$(rand)
SONGDA_PORTAL_DATA_KEYS=${portal_key}
SECRETS
echo "wrote $out; give each provider its own secret from SONGDA_PROVIDER_SECRETS"
echo "start: docker compose --env-file $out -f deploy/compose.yaml up --build"
