#!/usr/bin/env bash
# The deployment files, checked offline (no cluster, no Docker engine): what `make check-deploy` runs.
#
#   scripts/check-deploy.sh [ROOT]      check the deployment files of ROOT (default: this repository)
#   scripts/check-deploy.sh --self-test break a copy of them in many ways, one at a time, and require
#                                       each breakage to fail the check; then the unbroken copy to pass
#
# Steps (all run; any failure fails the whole check):
#   community   deploy/base/community.yaml is a copy of reports/community.example.yaml
#   grafana     every dashboard JSON parses, is listed in deploy/grafana/kustomization.yaml, and uses
#               only datasource uids provisioned in deploy/grafana/provisioning/datasources
#   yamllint    deploy/, cron/ and the CI pipeline (.github/workflows), with .yamllint
#   hadolint    Dockerfile
#   kubernetes  `kubectl kustomize` of every overlay (deploy/overlays/aks, deploy/overlays/k3s,
#               cron/backfill), validated by scripts/validate-manifests.py: strict Kubernetes
#               schemas (kubernetes-validate, Kubernetes $K8S_VERSION), strict JSON Schemas for
#               ServiceMonitor and PrometheusRule (deploy/schemas), no kind unchecked, and the
#               project's rules for workloads and overlays
#   promtool    the rules of deploy/monitoring/prometheusrule.yaml (their single source), extracted:
#               `promtool check rules`, then `promtool test rules` on deploy/monitoring/tests/
#
# Tools: Python ones in .venv (scripts/deploy-requirements.txt), promtool from Debian's `prometheus`;
# scripts/install-deps.sh deploy installs them. A missing tool is a failure, never a skip.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
K8S_VERSION=${K8S_VERSION:-1.32}     # the AKS cluster of the brief runs 1.32
venv=$repo/.venv

install_tools() {
  "$repo/scripts/install-deps.sh" deploy
  for tool in kubectl yamllint hadolint python; do
    [ -x "$venv/bin/$tool" ] || { echo "check-deploy: $venv/bin/$tool is missing" >&2; exit 1; }
  done
  command -v promtool >/dev/null || { echo "check-deploy: promtool is missing (Debian package prometheus)" >&2; exit 1; }
}

# check ROOT: runs every step on ROOT's files, prints one line per step, returns 1 if any failed.
check() {
  local root=$1 failed=() work
  work=$(mktemp -d)

  step() {  # step NAME COMMAND...: runs it, output to a log shown only on failure
    local name=$1; shift
    # CHECK_ONLY=NAME (the self-test's) runs that one step alone.
    if [ -n "${CHECK_ONLY:-}" ] && [ "$CHECK_ONLY" != "$name" ]; then return 0; fi
    if "$@" >"$work/$name.log" 2>&1; then
      echo "ok    $name"
    else
      echo "FAIL  $name"
      sed 's/^/      /' "$work/$name.log"
      failed+=("$name")
    fi
  }

  step community cmp "$root/reports/community.example.yaml" "$root/deploy/base/community.yaml"

  step grafana "$venv/bin/python" - "$root/deploy/grafana" <<'EOF'
import glob, json, os, sys, yaml
base = sys.argv[1]
kustomization = yaml.safe_load(open(os.path.join(base, "kustomization.yaml")))
listed = {f for g in kustomization.get("configMapGenerator", []) for f in g.get("files", [])}
uids = set()
for f in glob.glob(os.path.join(base, "provisioning/datasources/*.yaml")):
    uids |= {d["uid"] for d in yaml.safe_load(open(f)).get("datasources", [])}
errors = []
def walk(node, path):
    if isinstance(node, dict):
        ds = node.get("datasource")
        if isinstance(ds, dict) and ds.get("uid") and ds["uid"] not in uids and not ds["uid"].startswith("$"):
            errors.append("%s: datasource uid %r is not provisioned (%s)" % (path, ds["uid"], ", ".join(sorted(uids))))
        for k, v in node.items():
            walk(v, path + "/" + str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, path + "/" + str(i))
dashboards = sorted(glob.glob(os.path.join(base, "dashboards/*.json")))
if not dashboards:
    errors.append("no dashboards in dashboards/")
for f in dashboards:
    rel = os.path.relpath(f, base)
    if rel not in listed:
        errors.append("%s is not listed in the configMapGenerator of kustomization.yaml" % rel)
    try:
        d = json.load(open(f))
    except ValueError as e:
        errors.append("%s: %s" % (rel, e)); continue
    for key in ("uid", "title", "panels"):
        if key not in d:
            errors.append("%s: no %s" % (rel, key))
    walk(d, rel)
for e in errors:
    print(e)
print("%d dashboards, datasources %s" % (len(dashboards), sorted(uids)))
sys.exit(1 if errors else 0)
EOF

  local lint_paths=("$root/deploy" "$root/cron")
  [ -d "$root/.github/workflows" ] && lint_paths+=("$root/.github/workflows")
  step yamllint "$venv/bin/yamllint" --strict -c "$root/.yamllint" "${lint_paths[@]}"

  step hadolint "$venv/bin/hadolint" "$root/Dockerfile"

  kubernetes() {
    local overlay profile status=0
    for spec in deploy/overlays/aks:aks deploy/overlays/k3s:k3s cron/backfill:job; do
      overlay=${spec%%:*}; profile=${spec##*:}
      if ! "$venv/bin/kubectl" kustomize "$root/$overlay" >"$work/$profile.yaml"; then
        echo "$overlay: kustomize failed"; status=1; continue
      fi
      echo "kubectl kustomize $overlay:"
      "$venv/bin/python" "$repo/scripts/validate-manifests.py" --schemas "$root/deploy/schemas" \
        --kubernetes-version "$K8S_VERSION" --profile "$profile" "$work/$profile.yaml" || status=1
    done
    return $status
  }
  step kubernetes kubernetes

  promtool_rules() {
    # (Called in an `if`, where set -e does not act: every command is chained with &&.)
    # The PrometheusRule manifest is the single source: its spec.groups are a Prometheus rule file.
    mkdir -p "$work/rules" && \
    "$venv/bin/python" -c '
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
assert doc["kind"] == "PrometheusRule", "not a PrometheusRule"
yaml.safe_dump({"groups": doc["spec"]["groups"]}, open(sys.argv[2], "w"), sort_keys=False)
' "$root/deploy/monitoring/prometheusrule.yaml" "$work/rules/energy-rules.yaml" \
      && cp "$root"/deploy/monitoring/tests/*.test.yaml "$work/rules/" \
      && promtool check rules "$work/rules/energy-rules.yaml" \
      && (cd "$work/rules" && promtool test rules ./*.test.yaml)
  }
  step promtool promtool_rules

  rm -rf "$work"
  if [ ${#failed[@]} -gt 0 ]; then
    echo "check-deploy: FAILED: ${failed[*]}"
    return 1
  fi
  echo "check-deploy: all passed"
}

# The files the check reads, copied to DIR.
copy_tree() {
  local dir=$1
  mkdir -p "$dir/reports" "$dir/.github"
  cp -r "$repo/deploy" "$repo/cron" "$repo/Dockerfile" "$repo/.yamllint" "$dir/"
  cp "$repo/reports/community.example.yaml" "$dir/reports/"
  cp -r "$repo/.github/workflows" "$dir/.github/"
}

# Each case: NAME | STEP that must fail | python code editing files under the copy (cwd = the copy).
# edit(path, old, new) replaces exactly one occurrence (and fails if there is none).
# Each broken copy runs only the step that must catch it (CHECK_ONLY), to keep the self-test short;
# the unbroken copy runs them all.
self_test() {
  local pristine passed=0 failed=0 name expect code out
  selftest_tmp=$(mktemp -d)
  trap 'rm -rf "$selftest_tmp"' EXIT
  local tmp=$selftest_tmp
  pristine=$tmp/pristine
  copy_tree "$pristine"
  local cases=(
    "Deployment field misspelt (replica: 2)|kubernetes|edit('deploy/overlays/aks/serve.yaml', 'replicas: 2', 'replica: 2')"
    "Deployment field of the wrong type (containerPort: \"9464\")|kubernetes|edit('deploy/overlays/aks/ingest.yaml', 'containerPort: 9464', 'containerPort: \"9464\"')"
    "ServiceMonitor field misspelt (honourLabels)|kubernetes|edit('deploy/monitoring/servicemonitor.yaml', 'honorLabels: false', 'honourLabels: false')"
    "ServiceMonitor interval not a duration|kubernetes|edit('deploy/monitoring/servicemonitor.yaml', 'interval: 30s', 'interval: 30 seconds')"
    "ServiceMonitor port no Service has|kubernetes|edit('deploy/monitoring/servicemonitor.yaml', '- port: metrics', '- port: metric')"
    "PrometheusRule field misspelt (fro:)|kubernetes|edit('deploy/monitoring/prometheusrule.yaml', 'for: 15m\n          labels:\n            severity: warning\n          annotations:\n            summary: Readings reach', 'fro: 15m\n          labels:\n            severity: warning\n          annotations:\n            summary: Readings reach')"
    "k3s simulator misspelt (resource:)|kubernetes|edit('deploy/overlays/k3s/simulator.yaml', 'resources:\n            requests:', 'resource:\n            requests:')"
    "Indexed Job field misspelt (completionsMode)|kubernetes|edit('cron/backfill/backfill-job.yaml', 'completionMode: Indexed', 'completionsMode: Indexed')"
    "CronJob without timeZone|kubernetes|edit('cron/rollup-nightly.yaml', '  timeZone: Europe/Vienna\n', '')"
    "container without a read-only root filesystem|kubernetes|edit('cron/bill-final.yaml', 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false')"
    "a committed Secret|kubernetes|edit('deploy/overlays/aks/kustomization.yaml', '  - rbac.yaml\n', '  - rbac.yaml\n  - secret.yaml\n'); open('deploy/overlays/aks/secret.yaml', 'w').write('apiVersion: v1\nkind: Secret\nmetadata:\n  name: energy-amqp\nstringData:\n  uri: amqp://u:p@h/v\n')"
    "a custom resource with no schema (cert-manager Certificate)|kubernetes|edit('deploy/overlays/aks/kustomization.yaml', '  - rbac.yaml\n', '  - rbac.yaml\n  - cert.yaml\n'); open('deploy/overlays/aks/cert.yaml', 'w').write('apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: energy\nspec:\n  secretName: energy-tls\n  dnsNames: [a.example]\n  issuerRef: {name: letsencrypt-prod, kind: ClusterIssuer}\n')"
    "Ingress backend to a port the Service lacks|kubernetes|edit('deploy/overlays/aks/ingress.yaml', 'name: http', 'name: web')"
    "kustomization naming a missing file|kubernetes|edit('cron/kustomization.yaml', '  - bill-final.yaml\n', '  - bill-finale.yaml\n')"
    "broken PromQL|promtool|edit('deploy/monitoring/prometheusrule.yaml', 'max by (namespace) (energy_ingest_lag_seconds) > 900', 'max by (namespace) (energy_ingest_lag_seconds) > > 900')"
    "a rule-test expectation that does not hold|promtool|edit('deploy/monitoring/tests/energy-rules.test.yaml', 'summary: The last rollup of eeg-sonnenfeld failed.', 'summary: The last rollup of eeg-sonnenfeld did not fail.')"
    "an alert that no longer fires when its test says|promtool|edit('deploy/monitoring/prometheusrule.yaml', '> 26 * 3600', '> 28 * 3600')"
    "Dockerfile lint violation (cd in RUN)|hadolint|edit('Dockerfile', 'USER 10001:10001', 'RUN cd /tmp && touch marker\nUSER 10001:10001')"
    "Dockerfile running as root|hadolint|edit('Dockerfile', 'USER 10001:10001', 'USER root')"
    "YAML with a duplicate key|yamllint|edit('cron/bill-preview.yaml', '  concurrencyPolicy: Forbid\n', '  concurrencyPolicy: Forbid\n  concurrencyPolicy: Allow\n')"
    "CI pipeline with bad indentation|yamllint|edit('.github/workflows/deploy.yml', '  test:\n    runs-on:', '  test:\n     runs-on:')"
    "community copy out of date|community|open('deploy/base/community.yaml', 'a').write('# changed\n')"
    "dashboard not in the ConfigMap generator|grafana|open('deploy/grafana/dashboards/extra.json', 'w').write('{\"uid\": \"x\", \"title\": \"x\", \"panels\": []}')"
    "dashboard using an unprovisioned datasource|grafana|edit('deploy/grafana/dashboards/energy-community.json', '\"uid\": \"energy-mongodb\"', '\"uid\": \"mongo\"')"
  )
  for c in "${cases[@]}"; do
    name=${c%%|*}; c=${c#*|}; expect=${c%%|*}; code=${c#*|}
    rm -rf "$tmp/case"; cp -r "$pristine" "$tmp/case"
    (cd "$tmp/case" && "$venv/bin/python" -c "
def edit(path, old, new):
    text = open(path).read()
    assert text.count(old) >= 1, 'self-test: %r not found in %s' % (old, path)
    open(path, 'w').write(text.replace(old, new, 1))
$code")
    if out=$(CHECK_ONLY=$expect check "$tmp/case" 2>&1); then
      echo "NOT CAUGHT  $name: the check passed"; failed=$((failed + 1))
    elif ! grep -q "^FAIL  $expect\$" <<<"$out"; then
      echo "WRONG STEP  $name: expected step $expect to fail"; echo "$out" | sed 's/^/    /'; failed=$((failed + 1))
    else
      echo "caught      $name ($expect)"; passed=$((passed + 1))
    fi
  done
  if out=$(check "$pristine" 2>&1); then
    echo "passes      the unbroken copy"; passed=$((passed + 1))
  else
    echo "FAILS       the unbroken copy"; echo "$out" | sed 's/^/    /'; failed=$((failed + 1))
  fi
  echo "check-deploy self-test: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

install_tools
case "${1:-}" in
  --self-test) self_test ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) check "$(cd "${1:-$repo}" && pwd)" ;;
esac
