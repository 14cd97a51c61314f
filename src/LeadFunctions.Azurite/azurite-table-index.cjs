"use strict";
// Preloaded into Azurite (NODE_OPTIONS --require) by AzuriteProcess. Table Storage finds an entity
// by its PartitionKey and RowKey together and serves a partition query from that partition alone.
// Azurite 3.x's in-memory tables (LokiJS) instead look an entity up through the index of whichever
// key its code names first (RowKey, shared by every record row of the leads table) and answer every
// query by testing each row of the table, so their cost grows with the table, not with the answer:
// that, not the app, made seeding and lookups at 100,000 leads quadratic. This narrows both to the
// rows Table Storage would touch and changes no answer: a point lookup still matches both keys
// exactly, and a query's own filter still runs on every row it returns.
const fs = require("fs");
const path = require("path");

let main;
try {
  main = fs.realpathSync(process.argv[1]);
} catch {
  return;
}
const dist = path.dirname(main);
const persistence = path.join(dist, "table", "persistence");
if (!fs.existsSync(path.join(persistence, "LokiTableStoreQueryGenerator.js"))) {
  // Not Azurite (NODE_OPTIONS reaches every node process): leave it alone.
  return;
}

const need = (file) => require(path.join(persistence, file));
const loki = require(require.resolve("lokijs", { paths: [dist] }));
const Generator = need("LokiTableStoreQueryGenerator.js").default;
const parse = need("QueryInterpreter/QueryParser.js").default;
const AndNode = need("QueryInterpreter/QueryNodes/AndNode.js").default;
const EqualsNode = need("QueryInterpreter/QueryNodes/EqualsNode.js").default;
const IdentifierNode = need("QueryInterpreter/QueryNodes/IdentifierNode.js").default;
const ConstantNode = need("QueryInterpreter/QueryNodes/ConstantNode.js").default;
if (typeof Generator?.generateQueryEntityWhereFunction !== "function" || typeof loki.Collection?.prototype.findOne !== "function") {
  throw new Error("azurite-table-index.cjs: this Azurite is not the one it was written for (see package.json).");
}

const partitionKey = Symbol("partitionKey");

// The PartitionKey a filter requires of every row it matches: one `PartitionKey eq '...'` reached
// through `and` alone (an `or` or a `not` anywhere above it could let other partitions in).
function requiredPartition(node) {
  if (node instanceof AndNode) {
    return requiredPartition(node.left) ?? requiredPartition(node.right);
  }
  if (node instanceof EqualsNode) {
    const [id, constant] = node.left instanceof IdentifierNode ? [node.left, node.right] : [node.right, node.left];
    if (id instanceof IdentifierNode && id.identifier === "PartitionKey" && constant instanceof ConstantNode && typeof constant.value === "string") {
      return constant.value;
    }
  }
  return undefined;
}

const entityWhere = Generator.generateQueryEntityWhereFunction;
Generator.generateQueryEntityWhereFunction = function (query) {
  const where = entityWhere.call(this, query);
  if (typeof query === "string" && query !== "" && query !== "true" && query !== "false") {
    const key = requiredPartition(parse(query));
    if (key !== undefined) {
      where[partitionKey] = key;
    }
  }
  return where;
};

const where = loki.Resultset.prototype.where;
loki.Resultset.prototype.where = function (fun) {
  if (!this.filterInitialized && typeof fun === "function" && fun[partitionKey] !== undefined && this.collection.binaryIndices.PartitionKey) {
    this.find({ PartitionKey: fun[partitionKey] });
  }
  return where.call(this, fun);
};

const rangeSize = (collection, key, value) => {
  if (collection.adaptiveBinaryIndices !== true) {
    collection.ensureIndex(key);
  }
  const [low, high] = collection.calculateRange("$eq", key, value);
  return high - low + 1;
};

const findOne = loki.Collection.prototype.findOne;
loki.Collection.prototype.findOne = function (query) {
  if (query && typeof query.PartitionKey === "string" && typeof query.RowKey === "string" && Object.keys(query).length === 2
    && this.binaryIndices.PartitionKey && this.binaryIndices.RowKey && this.data.length > 0) {
    // LokiJS uses the index of the first key only: name the one that leaves fewer rows first.
    const byPartition = rangeSize(this, "PartitionKey", query.PartitionKey) <= rangeSize(this, "RowKey", query.RowKey);
    query = byPartition ? { PartitionKey: query.PartitionKey, RowKey: query.RowKey } : { RowKey: query.RowKey, PartitionKey: query.PartitionKey };
  }
  return findOne.call(this, query);
};

// Said once, so that whoever reads Azurite's output (and the test of this script) knows it is on.
process.stderr.write("azurite-table-index: rows found by both keys, partition queries served from their partition\n");
