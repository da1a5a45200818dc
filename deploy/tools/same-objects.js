#!/usr/bin/env node
'use strict';
// Exits 0 when two multi-document YAML files hold the same objects (compared
// as data, in any order), else prints the first difference and exits 1.
// Used to check render-kustomize.js against kustomize where kustomize exists.
// Usage: same-objects.js A.yaml B.yaml
const assert = require('assert');
const {readDocuments, describe} = require('./lib/manifests');

function byName(file) {
  const objects = new Map();
  for (const object of readDocuments(file)) objects.set(describe(object), object);
  return objects;
}

try {
  if (process.argv.length !== 4) throw new Error('usage: same-objects.js A.yaml B.yaml');
  const [a, b] = process.argv.slice(2).map(byName);
  assert.deepStrictEqual([...a.keys()].sort(), [...b.keys()].sort(), 'different objects');
  for (const [name, object] of a) {
    assert.deepStrictEqual(object, b.get(name), `${name} differs`);
  }
  console.log(`same-objects: ${a.size} objects equal`);
} catch (error) {
  console.error(`same-objects: ${error.message}`);
  process.exit(1);
}
