#!/usr/bin/env python3
"""Validates rendered Kubernetes manifests (the output of `kubectl kustomize`) strictly.

Usage: validate-manifests.py --schemas DIR --kubernetes-version 1.32 [--profile aks|k3s|job] FILE...

- Built-in kinds: kubernetes-validate's strict schemas for that Kubernetes version (unknown fields
  and wrong types fail).
- Custom resources (ServiceMonitor, PrometheusRule, ...): the JSON Schemas in --schemas, named
  <kind>-<group's first part>-<version>.json, with additionalProperties: false throughout.
- A kind with a schema in neither place fails: nothing passes unchecked.
- Then what the platform and this project require of every workload (non-root, read-only root
  filesystem, resources, no committed Secret, ...) and, per profile, of the overlay as a whole.
Exits 1 on the first file with any error, after printing all of them.
"""
import argparse
import json
import os
import re
import sys

import jsonschema
import yaml
from kubernetes_validate import utils as kv

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}


def load_documents(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def custom_schema(schemas_dir, doc):
    group_version = doc.get("apiVersion", "")
    if "/" not in group_version:
        return None
    group, version = group_version.split("/", 1)
    name = "%s-%s-%s.json" % (doc.get("kind", "").lower(), group.split(".")[0], version)
    path = os.path.join(schemas_dir, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def describe(error):
    where = "/".join(str(p) for p in error.absolute_path) or "(top)"
    return "%s: %s" % (where, error.message)


def validate_schema(doc, schemas_dir, version):
    """Returns a list of error strings for one document."""
    if not isinstance(doc, dict) or "kind" not in doc or "apiVersion" not in doc:
        return ["not a Kubernetes object (no kind/apiVersion)"]
    schema = custom_schema(schemas_dir, doc)
    if schema is not None:
        validator = jsonschema.Draft202012Validator(schema)
        return [describe(e) for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))]
    try:
        kv.validate(doc, version, strict=True)
        return []
    except kv.SchemaNotFoundError as e:
        return ["no schema for %s %s (neither kubernetes-validate %s nor %s has one): %s"
                % (doc["apiVersion"], doc["kind"], version, schemas_dir, e.message)]
    except kv.ValidationError as e:
        return [describe(e)]


def pod_spec(doc):
    kind = doc["kind"]
    spec = doc.get("spec", {})
    if kind == "CronJob":
        return spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec", {})
    return spec.get("template", {}).get("spec", {})


def check_workload(doc):
    """What every pod of the project must do on the platform."""
    errors = []
    spec = pod_spec(doc)
    pod_sc = spec.get("securityContext", {})
    if pod_sc.get("runAsNonRoot") is not True:
        errors.append("pod securityContext.runAsNonRoot must be true")
    if spec.get("automountServiceAccountToken") is not False:
        errors.append("automountServiceAccountToken must be false (the pods use no Kubernetes API)")
    volumes = {v["name"]: v for v in spec.get("volumes", [])}
    for c in spec.get("containers", []):
        name = "container %s" % c.get("name")
        sc = c.get("securityContext", {})
        if sc.get("readOnlyRootFilesystem") is not True:
            errors.append("%s: securityContext.readOnlyRootFilesystem must be true" % name)
        if sc.get("allowPrivilegeEscalation") is not False:
            errors.append("%s: securityContext.allowPrivilegeEscalation must be false" % name)
        res = c.get("resources", {})
        if not res.get("requests") or not res.get("limits", {}).get("memory"):
            errors.append("%s: needs resources.requests and a memory limit" % name)
        mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
        if "/tmp" not in mounts:
            errors.append("%s: needs a writable volume at /tmp (the root filesystem is read-only)" % name)
        for m in c.get("volumeMounts", []):
            if m["name"] not in volumes:
                errors.append("%s: volumeMount %s names no volume of the pod" % (name, m["name"]))
        image = c.get("image", "")
        if image.startswith("energy") or not image:
            errors.append("%s: image %r was not set by the overlay's images: entry" % (name, image))
    return errors


def check_cronjob(doc):
    spec = doc.get("spec", {})
    errors = []
    if spec.get("timeZone") != "Europe/Vienna":
        errors.append("timeZone must be Europe/Vienna (communities bill by local days)")
    if spec.get("concurrencyPolicy") != "Forbid":
        errors.append("concurrencyPolicy must be Forbid")
    for field in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if field not in spec:
            errors.append("needs %s" % field)
    job = spec.get("jobTemplate", {}).get("spec", {})
    for field in ("backoffLimit", "activeDeadlineSeconds"):
        if field not in job:
            errors.append("jobTemplate needs %s" % field)
    return errors


def selects(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def check_overlay(docs, profile):
    """Cross-object checks of a whole overlay."""
    errors = []
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    if by_kind.get("Secret"):
        errors.append("Secrets are created in the cluster, never committed: found %s"
                      % ", ".join(s["metadata"]["name"] for s in by_kind["Secret"]))
    services = by_kind.get("Service", [])
    # Every ServiceMonitor endpoint port exists on a Service it selects.
    for sm in by_kind.get("ServiceMonitor", []):
        selector = sm["spec"].get("selector", {}).get("matchLabels", {})
        chosen = [s for s in services if selects(selector, s["metadata"].get("labels", {}))]
        if not chosen:
            errors.append("ServiceMonitor %s selects no Service of this overlay" % sm["metadata"]["name"])
        for ep in sm["spec"].get("endpoints", []):
            for s in chosen:
                if ep.get("port") not in {p.get("name") for p in s["spec"].get("ports", [])}:
                    errors.append("ServiceMonitor %s: Service %s has no port named %r"
                                  % (sm["metadata"]["name"], s["metadata"]["name"], ep.get("port")))
    # Every Service selects pods of a workload here, and its targetPorts exist in them.
    workloads = [d for d in docs if d["kind"] in WORKLOAD_KINDS]
    for s in services:
        selector = s["spec"].get("selector", {})
        pods = [w for w in workloads if w["kind"] == "Deployment"
                and selects(selector, w["spec"]["template"]["metadata"].get("labels", {}))]
        if not pods:
            errors.append("Service %s selects no Deployment's pods" % s["metadata"]["name"])
        for p in s["spec"].get("ports", []):
            tp = p.get("targetPort")
            for w in pods:
                names = {cp.get("name") for c in pod_spec(w).get("containers", []) for cp in c.get("ports", [])}
                numbers = {cp.get("containerPort") for c in pod_spec(w).get("containers", []) for cp in c.get("ports", [])}
                if tp not in names and tp not in numbers:
                    errors.append("Service %s: targetPort %r is no port of %s" % (s["metadata"]["name"], tp, w["metadata"]["name"]))
    # Ingress backends exist.
    service_ports = {s["metadata"]["name"]: {p.get("name") for p in s["spec"].get("ports", [])} | {p.get("port") for p in s["spec"].get("ports", [])} for s in services}
    for ing in by_kind.get("Ingress", []):
        if ing["spec"].get("ingressClassName") != "public":
            errors.append("Ingress %s: ingressClassName must be public" % ing["metadata"]["name"])
        if not ing["spec"].get("tls") or "cert-manager.io/cluster-issuer" not in ing["metadata"].get("annotations", {}):
            errors.append("Ingress %s: needs tls and a cert-manager.io/cluster-issuer annotation" % ing["metadata"]["name"])
        for rule in ing["spec"].get("rules", []):
            for path in rule.get("http", {}).get("paths", []):
                svc = path["backend"].get("service", {})
                port = svc.get("port", {}).get("name", svc.get("port", {}).get("number"))
                if svc.get("name") not in service_ports or port not in service_ports[svc.get("name")]:
                    errors.append("Ingress %s: backend %s:%s is no Service port here" % (ing["metadata"]["name"], svc.get("name"), port))
    # PodDisruptionBudgets select a Deployment.
    for pdb in by_kind.get("PodDisruptionBudget", []):
        sel = pdb["spec"].get("selector", {}).get("matchLabels", {})
        if not any(selects(sel, w["spec"]["template"]["metadata"].get("labels", {})) for w in workloads if w["kind"] == "Deployment"):
            errors.append("PodDisruptionBudget %s selects no Deployment's pods" % pdb["metadata"]["name"])
    # ConfigMaps and PVCs that pods mount exist in the overlay.
    names = {(d["kind"], d["metadata"]["name"]) for d in docs}
    for w in workloads:
        for v in pod_spec(w).get("volumes", []):
            if "configMap" in v and ("ConfigMap", v["configMap"]["name"]) not in names:
                errors.append("%s %s mounts ConfigMap %s, which this overlay lacks" % (w["kind"], w["metadata"]["name"], v["configMap"]["name"]))
            if "persistentVolumeClaim" in v and ("PersistentVolumeClaim", v["persistentVolumeClaim"]["claimName"]) not in names:
                errors.append("%s %s mounts PVC %s, which this overlay lacks" % (w["kind"], w["metadata"]["name"], v["persistentVolumeClaim"]["claimName"]))
    required = {
        "aks": {"Deployment", "Service", "PodDisruptionBudget", "Ingress", "NetworkPolicy", "ServiceMonitor",
                "PrometheusRule", "CronJob", "ServiceAccount", "Role", "RoleBinding", "ConfigMap"},
        "k3s": {"Deployment", "ConfigMap"},
        "job": {"Job", "ConfigMap"},
    }[profile]
    for kind in sorted(required - set(by_kind)):
        errors.append("the %s overlay has no %s" % (profile, kind))
    if profile == "aks":
        labels = lambda kind: [d["metadata"].get("labels", {}) for d in docs if d["kind"] == "ConfigMap"]
        if not any(l.get("grafana_dashboard") == "1" for l in labels("ConfigMap")):
            errors.append("no ConfigMap labelled grafana_dashboard: \"1\"")
        if not any(l.get("grafana_datasource") == "1" for l in labels("ConfigMap")):
            errors.append("no ConfigMap labelled grafana_datasource: \"1\"")
        for s in services:
            if "metrics" not in {p.get("name") for p in s["spec"].get("ports", [])}:
                errors.append("Service %s has no port named metrics" % s["metadata"]["name"])
    if profile == "job":
        for j in by_kind.get("Job", []):
            if j["spec"].get("completionMode") != "Indexed":
                errors.append("Job %s: completionMode must be Indexed" % j["metadata"]["name"])
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", required=True)
    parser.add_argument("--kubernetes-version", required=True)
    parser.add_argument("--profile", choices=["aks", "k3s", "job"], required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    failed = False
    for path in args.files:
        docs = load_documents(path)
        errors = []
        for doc in docs:
            ident = "%s %s" % (doc.get("kind", "?"), (doc.get("metadata") or {}).get("name", "?"))
            problems = validate_schema(doc, args.schemas, args.kubernetes_version)
            if not problems and doc["kind"] in WORKLOAD_KINDS:
                problems = check_workload(doc)
                if doc["kind"] == "CronJob":
                    problems += check_cronjob(doc)
            errors += ["%s: %s" % (ident, p) for p in problems]
        if not errors:
            errors = check_overlay(docs, args.profile)
        if errors:
            failed = True
            print("%s: INVALID" % path)
            for e in errors:
                print("  " + e)
        else:
            print("%s: %d objects valid (Kubernetes %s, strict; %s)" % (path, len(docs), args.kubernetes_version, args.profile))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
