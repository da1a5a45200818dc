#!/usr/bin/env node
'use strict';
// Validates Kubernetes objects against the OpenAPI schemas that
// kubernetes-models 4.5.1 ships (Kubernetes 1.30 API) and, for
// monitoring.coreos.com objects, the Prometheus Operator CRD schemas of
// @kubernetes-models/prometheus-operator 4.4.4. Checks types, enums, formats
// and required fields; like kubeconform's default mode it does not reject
// unknown fields. An object of a kind neither package knows is an error.
// Usage: validate-k8s.js FILE... (a FILE of '-' reads stdin)
const {readDocuments, readStdinDocuments, describe} = require('./lib/manifests');

function modelPath(apiVersion, kind) {
  const [group, version] =
      apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'monitoring.coreos.com') {
    return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  }
  const prefix = group === '' ? '' : `${group}/`;
  return `kubernetes-models/${prefix}${version}/${kind}`;
}

function loadModel(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || !/^[A-Za-z]+$/.test(kind || '')) {
    throw new Error('missing or malformed apiVersion/kind');
  }
  try {
    return require(modelPath(apiVersion, kind))[kind];
  } catch (error) {
    if (error.code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`no schema for ${apiVersion} ${kind}`);
  }
}

let failures = 0;
let checked = 0;
for (const file of process.argv.slice(2)) {
  let objects;
  try {
    objects = file === '-' ? readStdinDocuments() : readDocuments(file);
  } catch (error) {
    console.error(`validate-k8s: ${error.message}`);
    failures++;
    continue;
  }
  for (const object of objects) {
    const where = `${file}: ${describe(object)}`;
    try {
      const Model = loadModel(object.apiVersion, object.kind);
      new Model(object).validate();
      checked++;
    } catch (error) {
      console.error(`validate-k8s: ${where}: ${error.message}`);
      failures++;
    }
  }
}
console.log(`validate-k8s: ${checked} objects valid, ${failures} failures`);
process.exit(failures || checked === 0 ? 1 : 0);
