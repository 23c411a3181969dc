// Test-only: validates Kubernetes objects against kubernetes-models (types and required fields generated from the
// Kubernetes OpenAPI schema). Reads a JSON array of objects on stdin; prints one JSON array with, per object, its
// position, apiVersion/kind and the schema's error messages (empty when valid). Exit 1 on a kind it cannot find.
import { readFileSync } from "node:fs";

const objects = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const [index, object] of objects.entries()) {
  const { apiVersion, kind } = object;
  let Model;
  try {
    Model = (await import(`kubernetes-models/${apiVersion}`))[kind];
  } catch (e) {
    Model = undefined;
  }
  if (typeof Model !== "function") {
    console.error(`kubernetes-models has no ${apiVersion} ${kind}`);
    process.exit(1);
  }
  const errors = [];
  try {
    new Model(object).validate();
  } catch (e) {
    for (const error of e.errors ?? [{ instancePath: "", message: e.message }]) {
      errors.push(`${error.instancePath || "/"} ${error.message}${error.params ? " " + JSON.stringify(error.params) : ""}`);
    }
  }
  results.push({ index, apiVersion, kind, errors });
}
console.log(JSON.stringify(results));
