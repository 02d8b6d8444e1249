#!/bin/sh
# Registers the namespace and the search attributes songda's workflows upsert (domain/names.py).
set -eu
NAMESPACE="${SONGDA_TEMPORAL_NAMESPACE:-default}"
temporal operator namespace describe "$NAMESPACE" >/dev/null 2>&1 \
  || temporal operator namespace create --retention 30d "$NAMESPACE"
for attribute in CaseNumber CourtCode PartyKind ServiceStep ServiceStatus; do
  temporal operator search-attribute create --namespace "$NAMESPACE" \
    --name "$attribute" --type Keyword || true
done
