// Validates Ferry's deployment files.
//   node validate.mjs kubernetes FILE.yaml…  against the Kubernetes API's OpenAPI schemas as kubernetes-models
//                                           compiles them (types, required fields, enums, formats); documents that
//                                           are not Kubernetes objects (a kustomization) are skipped, and say so
//   node validate.mjs json FILE.yaml         prints the file's documents as one JSON array, merge keys (<<) applied,
//                                           for checks that read them (DeployManifestsTest)
//   node validate.mjs compose FILE.yaml      against the Compose Specification's JSON schema (compose-spec.json,
//                                           from github.com/compose-spec/compose-spec, schema/), which allows no
//                                           unknown key
// Prints one line per problem and a summary; exits 1 if there is any problem.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const [mode, ...files] = process.argv.slice(2);
let problems = 0;
let checked = 0;

function documents(file) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { merge: true });
  const objects = [];
  for (const doc of docs) {
    for (const e of doc.errors) {
      console.log(`${file}: YAML: ${e.message}`);
      problems++;
    }
    if (doc.errors.length === 0 && doc.toJS() != null) {
      objects.push(doc.toJS());
    }
  }
  return objects;
}

async function kubernetes(file) {
  for (const object of documents(file)) {
    const where = `${file}: ${object.kind ?? "?"} ${object.metadata?.name ?? "?"}`;
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") {
      console.log(`${where}: no apiVersion or kind`);
      problems++;
      continue;
    }
    if (object.apiVersion.startsWith("kustomize.config.k8s.io/")) {
      console.log(`${where}: skipped (not a Kubernetes API object)`);
      continue;
    }
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [null, object.apiVersion];
    let model;
    try {
      model = await import(group ? `kubernetes-models/${group}/${version}/${object.kind}` : `kubernetes-models/${version}/${object.kind}`);
    } catch (e) {
      console.log(`${where}: unknown apiVersion/kind ${object.apiVersion} ${object.kind}`);
      problems++;
      continue;
    }
    try {
      new model[object.kind](object).validate();
      checked++;
    } catch (e) {
      console.log(`${where}: ${e.message}`);
      problems++;
    }
  }
}

function compose(file) {
  const schema = JSON.parse(readFileSync(new URL("./compose-spec.json", import.meta.url), "utf8"));
  // draft-07, named by an https URL that Ajv does not know as its meta-schema's (http://…#)
  delete schema.$schema;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  for (const object of documents(file)) {
    if (validate(object)) {
      checked++;
    } else {
      for (const e of validate.errors) {
        console.log(`${file}: ${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ": " + e.params.additionalProperty : ""}`);
        problems++;
      }
    }
  }
}

if (mode === "json") {
  const all = files.flatMap(documents);
  console.log(JSON.stringify(all));
  process.exit(problems > 0 ? 1 : 0);
} else if (mode === "kubernetes") {
  for (const file of files) {
    await kubernetes(file);
  }
} else if (mode === "compose") {
  files.forEach(compose);
} else {
  console.log("usage: node validate.mjs kubernetes|compose FILE…");
  process.exit(2);
}
console.log(`${checked} ${mode === "compose" ? "files" : "objects"} valid, ${problems} problems`);
process.exit(problems > 0 ? 1 : 0);
