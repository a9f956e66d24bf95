#!/bin/bash
# Run by the deployment script in storage.bicep (Azure CLI image, which has jq). Idempotent.
#
# For each tenant T with analysts group G, and each dataset D in $DATASETS:
#   - creates D/tenant=T (before the sink's first file, so that the default entries are inherited);
#   - D/tenant=T gets group G r-x as an access and a default entry: G reads everything the sink writes there;
#   - the root and D get --x (traverse only, no listing) for every tenant's group, written whole from the
#     tenants list (az storage fs access set replaces an ACL), so an offboarded tenant loses traverse too.
# The sink needs no ACL: it writes with an RBAC role (Storage Blob Data Contributor), which is checked first.
set -euo pipefail

: "${ACCOUNT:?}" "${FILE_SYSTEM:?}" "${DATASETS:?}" "${TENANTS_JSON:?}"
fs=(--file-system "$FILE_SYSTEM" --account-name "$ACCOUNT" --auth-mode login --only-show-errors)

# The identity's role assignment may take minutes to reach the storage data plane.
retry() {
  local attempt
  for attempt in $(seq 1 20); do
    if "$@"; then return 0; fi
    echo "attempt $attempt failed, retrying in 30 s: $*" >&2
    sleep 30
  done
  "$@"
}

owner='user::rwx,group::---,other::---'
traverse="$owner"
while IFS=$'\t' read -r tenant group; do
  [[ "$tenant" =~ ^[a-z0-9][a-z0-9_-]*$ ]] || { echo "invalid tenant name '$tenant'" >&2; exit 2; }
  [[ -n "$group" ]] || { echo "tenant '$tenant' has no analystsGroupObjectId" >&2; exit 2; }
  traverse="$traverse,group:$group:--x"
  read_only="$owner,mask::r-x,group:$group:r-x,default:$owner,default:mask::r-x,default:group:$group:r-x"
  for dataset in $DATASETS; do
    dir="$dataset/tenant=$tenant"
    retry az storage fs directory create "${fs[@]}" --name "$dir" >/dev/null
    retry az storage fs access set "${fs[@]}" --path "$dir" --acl "$read_only" >/dev/null
    echo "$dir: r-x for group $group"
  done
done < <(jq -r '.[] | [.name, .analystsGroupObjectId] | @tsv' <<<"$TENANTS_JSON")

traverse="$traverse,mask::--x"
for dataset in $DATASETS; do
  retry az storage fs access set "${fs[@]}" --path "$dataset" --acl "$traverse" >/dev/null
done
retry az storage fs access set "${fs[@]}" --path "/" --acl "$traverse" >/dev/null
echo "root and datasets: traverse for every tenant's analysts"
