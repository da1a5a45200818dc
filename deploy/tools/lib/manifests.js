'use strict';
// Reading Kubernetes YAML the way the API server's client tools do: YAML 1.1
// (so `0440` is octal and `yes` a boolean), several documents per file.
const fs = require('fs');
const YAML = require('yaml');

function parseDocuments(text, origin) {
  const objects = [];
  for (const doc of YAML.parseAllDocuments(text, {version: '1.1'})) {
    if (doc.errors.length) {
      throw new Error(`${origin}: ${doc.errors[0].message}`);
    }
    const value = doc.toJS({maxAliasCount: 0});
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

function readDocuments(path) {
  return parseDocuments(fs.readFileSync(path, 'utf8'), path);
}

function readStdinDocuments() {
  return parseDocuments(fs.readFileSync(0, 'utf8'), '<stdin>');
}

function describe(object) {
  const name = object && object.metadata && object.metadata.name;
  return `${object && object.kind}/${name}`;
}

module.exports = {parseDocuments, readDocuments, readStdinDocuments, describe};
