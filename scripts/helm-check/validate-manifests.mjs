// Validates rendered Kubernetes manifests (the output of `helm template`) offline, in two passes:
//  1. types: every document is type-checked by the TypeScript compiler against the Kubernetes 1.30
//     API types (npm kubernetes-types@1.30.0, generated from the 1.30 OpenAPI) or, for KEDA and
//     prometheus-operator objects, against the CRD types of @kubernetes-models/*. Unknown fields,
//     wrong types, missing required fields and API versions 1.30 does not serve all fail.
//  2. schemas: every document is validated against the JSON schema that kubernetes-models (and the
//     CRD packages) ship (formats, enums, patterns, int-or-string and the like).
// Usage: node validate-manifests.mjs FILE...   (exit 1 on any problem; each is printed)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));

// CRDs: apiVersion/kind -> the package module that holds their model.
const crds = {
  'keda.sh/v1alpha1/ScaledObject': '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject',
  'monitoring.coreos.com/v1/ServiceMonitor': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor',
};

// The kubernetes-types module of an API version: apps/v1 -> apps/v1, v1 -> core/v1,
// networking.k8s.io/v1 -> networking/v1, rbac.authorization.k8s.io/v1 -> rbac/v1.
function typesModule(apiVersion) {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return `kubernetes-types/core/${parts[0]}`;
  const group = parts[0].replace(/\.k8s\.io$/, '').split('.')[0];
  return `kubernetes-types/${group}/${parts[1]}`;
}

const problems = [];
const docs = [];
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const seen = new Set();
  for (const doc of YAML.parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true })) {
    const where = `${path.basename(file)}:${doc.range ? lineOf(text, doc.range[0]) : '?'}`;
    for (const e of doc.errors) problems.push(`${where}: YAML: ${e.message}`);
    if (doc.errors.length) continue;
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    const id = `${obj.kind}/${obj.metadata?.name}`;
    if (typeof obj !== 'object' || Array.isArray(obj) || !obj.apiVersion || !obj.kind || !obj.metadata?.name) {
      problems.push(`${where}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
      continue;
    }
    if (seen.has(id)) problems.push(`${where}: ${id} appears twice`);
    seen.add(id);
    docs.push({ file, where: `${where} ${id}`, obj });
  }
}
if (docs.length === 0) problems.push('no manifests to validate');

// Pass 1: one TypeScript module, one typed constant per document, compiled in memory.
const lines = [];
docs.forEach((d, i) => {
  const key = `${d.obj.apiVersion}/${d.obj.kind}`;
  const mod = crds[key] ?? typesModule(d.obj.apiVersion);
  const type = crds[key] ? `I${d.obj.kind}` : d.obj.kind;
  lines.push(`import type { ${type} as T${i} } from ${JSON.stringify(mod)};`);
  lines.push(`export const d${i}: T${i} = ${JSON.stringify(d.obj, null, 1)};`);
});
const source = lines.join('\n').split('\n');
const owners = [];
{
  let line = 0;
  lines.forEach((chunk, c) => {
    const n = chunk.split('\n').length;
    for (let k = 0; k < n; k++) owners[line + k] = Math.floor(c / 2);
    line += n;
  });
}
const virtual = path.join(here, '__manifests__.ts');
const options = {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], skipLibCheck: true,
};
const host = ts.createCompilerHost(options);
const text = source.join('\n');
const { getSourceFile, fileExists, readFile } = host;
host.getSourceFile = (name, lang, ...rest) => name === virtual ? ts.createSourceFile(name, text, lang) : getSourceFile.call(host, name, lang, ...rest);
host.fileExists = (name) => name === virtual || fileExists.call(host, name);
host.readFile = (name) => name === virtual ? text : readFile.call(host, name);
// The API server reads a quantity from a JSON number as well as from a string (resource.Quantity's
// UnmarshalJSON), so `cpu: 2` is valid; kubernetes-types declares strings only.
const quantityTypes = path.join('kubernetes-types', 'api', 'resource.d.ts');
host.getSourceFile = ((inner) => (name, lang, ...rest) => name.endsWith(quantityTypes)
  ? ts.createSourceFile(name, readFile.call(host, name).replace('export type Quantity = string;', 'export type Quantity = string | number;'), lang)
  : inner(name, lang, ...rest))(host.getSourceFile);
if (docs.length) {
  const program = ts.createProgram([virtual], options, host);
  for (const diag of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diag.messageText, '\n    ');
    if (diag.file?.fileName === virtual && diag.start !== undefined) {
      const { line } = diag.file.getLineAndCharacterOfPosition(diag.start);
      const d = docs[owners[line]];
      problems.push(`${d.where}: types (Kubernetes 1.30): ${source[line].trim().slice(0, 120)}\n    ${message}`);
    } else {
      problems.push(`types: ${message}`);
    }
  }
}

// Pass 2: the JSON schemas of the models.
for (const d of docs) {
  const key = `${d.obj.apiVersion}/${d.obj.kind}`;
  const mod = crds[key] ?? `kubernetes-models/${d.obj.apiVersion}/${d.obj.kind}`;
  let Model;
  try {
    Model = (await import(mod))[d.obj.kind];
  } catch (e) {
    problems.push(`${d.where}: schemas: no model for ${key} (${e.code ?? e.message})`);
    continue;
  }
  try {
    new Model(d.obj).validate();
  } catch (e) {
    problems.push(`${d.where}: schema: ${e.message}`);
  }
}

function lineOf(text, offset) {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

if (problems.length) {
  for (const p of problems) console.error(`  ${p}`);
  console.error(`${problems.length} problem(s) in ${docs.length} manifest(s)`);
  process.exit(1);
}
const kinds = {};
for (const d of docs) kinds[d.obj.kind] = (kinds[d.obj.kind] ?? 0) + 1;
console.log(`${docs.length} manifests valid (Kubernetes 1.30 types + schemas): ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}`);
