"""Checkov on the `dockerfile` and `kubernetes` frameworks only, `--skip-download` (no
Prisma Cloud calls), compact JSON. Checks are mapped to our manifest categories; checks
with no counterpart in our taxonomy (ADD vs COPY, apt flags, UID >= 10000, ...) are dropped.
Checkov points at the resource (the Dockerfile instruction, or the workload's whole
document for Kubernetes); the first line of that range is kept."""

import os

from .common import finding, has_files, load_json, tool_version

NAME = "checkov"
PACKAGE = "checkov.txt"
CHECKS = {
    # Dockerfile
    "CKV_DOCKER_2": "DOCKER-HEALTHCHECK",  # HEALTHCHECK instruction
    "CKV_DOCKER_3": "DOCKER-USER",         # a user is created
    "CKV_DOCKER_8": "DOCKER-USER",         # last USER is not root
    "CKV_DOCKER_7": "DOCKER-TAG",          # base image has a non-latest tag
    "CKV2_DOCKER_2": "TLS-OFF",            # curl -k
    "CKV2_DOCKER_3": "TLS-OFF",            # wget --no-check-certificate
    "CKV2_DOCKER_4": "TLS-OFF",            # pip --trusted-host
    "CKV2_DOCKER_5": "TLS-OFF",            # PYTHONHTTPSVERIFY=0
    "CKV2_DOCKER_6": "TLS-OFF",            # NODE_TLS_REJECT_UNAUTHORIZED=0
    "CKV2_DOCKER_11": "TLS-OFF",           # GIT_SSL_NO_VERIFY
    "CKV2_DOCKER_12": "TLS-OFF",           # NPM_CONFIG_STRICT_SSL=false
    "CKV2_DOCKER_13": "TLS-OFF",           # npm strict-ssl false
    "CKV2_DOCKER_14": "TLS-OFF",           # git http.sslVerify false
    # Kubernetes
    "CKV_K8S_8": "K8S-PROBES",             # liveness probe
    "CKV_K8S_9": "K8S-PROBES",             # readiness probe
    "CKV_K8S_10": "K8S-RESOURCES",         # CPU requests
    "CKV_K8S_11": "K8S-RESOURCES",         # CPU limits
    "CKV_K8S_12": "K8S-RESOURCES",         # memory requests
    "CKV_K8S_13": "K8S-RESOURCES",         # memory limits
    "CKV_K8S_14": "K8S-IMAGE-TAG",         # image tag fixed, not latest or blank
    "CKV_K8S_43": "K8S-IMAGE-TAG",         # image by digest
    "CKV_K8S_16": "K8S-SECURITY",          # privileged
    "CKV_K8S_20": "K8S-SECURITY",          # allowPrivilegeEscalation
    "CKV_K8S_22": "K8S-SECURITY",          # readOnlyRootFilesystem
    "CKV_K8S_23": "K8S-SECURITY",          # root containers (runAsNonRoot)
    "CKV_K8S_28": "K8S-SECURITY",          # NET_RAW capability
    "CKV_K8S_37": "K8S-SECURITY",          # capabilities not dropped
}
CATEGORIES = sorted(set(CHECKS.values()))


def applies(tree):
    return has_files(tree, ".yaml", ".yml", ".dockerfile", names=("Dockerfile",)) or any(
        p.rsplit("/", 1)[-1].startswith("Dockerfile") for p in tree["files"])


def command(bindir, root, out):
    argv = [os.path.join(bindir, "checkov"), "-d", ".", "--framework", "dockerfile",
            "kubernetes", "-o", "json", "--quiet", "--compact", "--skip-download",
            "--soft-fail"]
    env = {"CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "BC_SKIP_MAPPING": "TRUE",
           "CHECKOV_NO_VERSION_CHECK": "1", "ENABLE_SECRETS_SCAN_ALL_FILES": "false"}
    return argv, root, out, env


def convert(out, root):
    doc = load_json(out)
    reports = doc if isinstance(doc, list) else [doc] if doc else []
    found = []
    for rep in reports:
        for r in ((rep or {}).get("results") or {}).get("failed_checks", []):
            cat = CHECKS.get(r.get("check_id"))
            if not cat:
                continue
            rng = r.get("file_line_range") or [None]
            found.append(finding(cat, r.get("file_path", ""), rng[0], r["check_id"],
                                 r.get("check_name", "")))
    return found


def version(bindir):
    return tool_version([os.path.join(bindir, "checkov"), "--version"])
