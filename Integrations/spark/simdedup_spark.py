#!/usr/bin/env python3
"""Near-duplicate clusters on Apache Spark with SimCore's `simdedup bands`.

Pipeline:
  1. read JSONL or Parquet (id, text); ids become strings (labels compare byte-wise, as in
     `simdedup cluster`); records with a null or empty text are counted as rejects and left out;
  2. pipe each partition, as JSONL, through `simdedup bands` inside the executors (explicit
     environment; the exit status, the line count and every echoed id are checked);
  3. explode the band keys, group by (band, key), star edges from each member to the bucket's
     smallest id;
  4. connected components with large-star / small-star (Kiveris et al., 2014), iterated until an
     iteration changes no edge, checkpointing every iteration;
  5. join the cluster labels (the smallest id of each component) back, write Parquet or JSONL
     with columns id, cluster.

Usage (local):
  spark-submit Integrations/spark/simdedup_spark.py --input corpus.jsonl --output out \
      --simdedup .build/release/simdedup
"""
import argparse
import collections
import itertools
import json
import os
import shutil
import subprocess
import sys
import threading
import time

from pyspark.sql import SparkSession, functions as F, types as T


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", required=True, help="JSONL file/directory, or Parquet")
    parser.add_argument("--input-format", choices=["auto", "jsonl", "parquet"], default="auto")
    parser.add_argument("--output", required=True, help="output directory")
    parser.add_argument("--output-format", choices=["parquet", "jsonl"], default="parquet")
    parser.add_argument("--id-field", default="id")
    parser.add_argument("--text-field", default="text")
    parser.add_argument("--simdedup", default=None,
                        help="path of the simdedup binary on the executors (default: ./simdedup/simdedup "
                             "when shipped with --archives simdedup.tar.gz#simdedup, else simdedup on PATH)")
    parser.add_argument("--scheme", default="oph")
    parser.add_argument("-k", "--signature-length", type=int, default=128, dest="signature_length")
    parser.add_argument("--shingle", default="words:5")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--bands", type=int)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--partitions", type=int, default=0,
                        help="repartition the input into this many tasks before piping (0: keep the input's)")
    parser.add_argument("--checkpoint-dir", default=None, help="checkpoint directory (default: OUTPUT/_checkpoints)")
    parser.add_argument("--max-iterations", type=int, default=100)
    parser.add_argument("--master", default=None, help="e.g. local[2] (default: spark-submit's)")
    parser.add_argument("--shuffle-partitions", type=int, default=None,
                        help="spark.sql.shuffle.partitions (default: Spark's, 200; about 2-4 per core at scale)")
    return parser.parse_args(argv)


def bands_command(args):
    """The `simdedup bands` argument list; every option explicit, so all executors agree."""
    binary = args.simdedup
    if binary is None:
        binary = "./simdedup/simdedup" if os.path.exists("./simdedup/simdedup") else (shutil.which("simdedup") or "simdedup")
    command = [binary, "bands", "--scheme", args.scheme, "--signature-length", str(args.signature_length), "--shingle", args.shingle,
               "--seed", str(args.seed), "--threshold", repr(args.threshold)]
    if args.bands is not None:
        command += ["--bands", str(args.bands), "--rows", str(args.rows)]
    return command


def pipe_partition(command):
    """A mapPartitions function: feeds (id, json_line) rows to `command`, yields its output lines.

    Checks, per partition: the exit status is 0, one output line per input line, and each output
    line echoes the id of the input line in the same position. Any mismatch fails the task.
    """
    environment = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    for name in ("LD_LIBRARY_PATH", "TMPDIR"):
        if name in os.environ:
            environment[name] = os.environ[name]

    def run(rows):
        # An empty partition gets no process: `simdedup bands` refuses an input with no document.
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        rows = itertools.chain([first], rows)
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=environment)
        pending = collections.deque()  # ids sent and not yet echoed: bounded by the pipe buffers
        sent = [0]
        failure = []

        def feed():
            try:
                for document_id, line in rows:
                    pending.append(document_id)
                    sent[0] += 1
                    process.stdin.write(line.encode("utf-8") + b"\n")
                process.stdin.close()
            except BaseException as error:  # reported after the process ends
                failure.append(error)
                try:
                    process.stdin.close()
                except OSError:
                    pass

        errors = []
        reader = threading.Thread(target=lambda: errors.append(process.stderr.read()))
        reader.start()
        writer = threading.Thread(target=feed)
        writer.start()
        received = 0
        decoder = json.JSONDecoder()
        try:
            for raw in process.stdout:
                line = raw.decode("utf-8")
                # Only the id is decoded here (it starts at offset 6, after `{"id":`); the JVM parses the keys.
                echoed = decoder.raw_decode(line, 6)[0] if line.startswith('{"id":') else None
                expected = pending.popleft() if pending else None
                if echoed != expected:
                    raise RuntimeError(f"simdedup bands echoed id {echoed!r} at line {received + 1}, "
                                       f"expected {expected!r}")
                received += 1
                yield line
        finally:
            writer.join()
            status = process.wait()
            reader.join()
        message = (errors[0] or b"").decode("utf-8", "replace").strip()
        if failure:
            raise RuntimeError(f"simdedup bands: feeding input failed: {failure[0]!r}; stderr: {message}")
        if status != 0:
            raise RuntimeError(f"simdedup bands exited with status {status}: {message}")
        if received != sent[0]:
            raise RuntimeError(f"simdedup bands wrote {received} lines for {sent[0]} documents: {message}")

    return run


def read_documents(spark, args):
    input_format = args.input_format
    if input_format == "auto":
        input_format = "parquet" if args.input.rstrip("/").endswith(".parquet") else "jsonl"
    if input_format == "parquet":
        frame = spark.read.parquet(args.input)
    else:
        schema = T.StructType([T.StructField(args.id_field, T.StringType()), T.StructField(args.text_field, T.StringType())])
        frame = spark.read.schema(schema).option("mode", "FAILFAST").json(args.input)
    return frame.select(F.col(args.id_field).cast("string").alias("id"), F.col(args.text_field).alias("text"))


def large_star(edges):
    """Large-star: each node u links every larger neighbor to min(neighbors(u) ∪ {u})."""
    both = edges.union(edges.select(F.col("v").alias("u"), F.col("u").alias("v")))
    smallest = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
    return (both.join(smallest, "u").where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("u"), F.col("m").alias("v")).distinct())


def small_star(edges):
    """Small-star: each node u links itself and its smaller neighbors to min(smaller neighbors ∪ {u})."""
    oriented = edges.select(F.greatest("u", "v").alias("u"), F.least("u", "v").alias("v"))
    smallest = oriented.groupBy("u").agg(F.min("v").alias("m"))
    members = oriented.select("u", "v").union(smallest.select("u", F.col("u").alias("v")))
    return (members.join(smallest, "u").where(F.col("v") != F.col("m"))
            .select(F.col("v").alias("u"), F.col("m").alias("v")).distinct())


def connected_components(edges, max_iterations, log):
    """Iterates large-star then small-star until an iteration leaves the edge set unchanged.

    At convergence every edge is (node, root) with root the smallest id of its component.
    Every iteration is checkpointed, so plans and lineage stay short.
    """
    edges = edges.checkpoint()
    for iteration in range(1, max_iterations + 1):
        updated = small_star(large_star(edges)).checkpoint()
        changed = updated.exceptAll(edges).count() + edges.exceptAll(updated).count()
        log(f"connected components: iteration {iteration}, {changed} edges changed")
        edges = updated
        if changed == 0:
            return edges
    raise RuntimeError(f"connected components did not converge in {max_iterations} iterations")


def main(argv=None):
    args = parse_arguments(argv)
    started = time.time()
    builder = SparkSession.builder.appName("simdedup")
    if args.master:
        builder = builder.master(args.master)
    if args.shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(args.shuffle_partitions))
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    spark.sparkContext.setCheckpointDir(args.checkpoint_dir or os.path.join(args.output, "_checkpoints"))

    def log(message):
        print(f"simdedup_spark: [{time.time() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    documents = read_documents(spark, args)
    valid = documents.where(F.col("id").isNotNull() & F.col("text").isNotNull() & (F.length("text") > 0))
    if args.partitions > 0:
        valid = valid.repartition(args.partitions)
    command = bands_command(args)
    log(f"piping through: {' '.join(command)}")
    rows = valid.select("id", F.to_json(F.struct("id", "text")).alias("line")).rdd.map(lambda row: (row[0], row[1]))
    bands_schema = T.StructType([T.StructField("id", T.StringType(), False),
                                 T.StructField("bands", T.ArrayType(T.LongType(), False), False)])
    banded = spark.read.schema(bands_schema).option("mode", "FAILFAST").json(
        rows.mapPartitions(pipe_partition(command))).cache()

    total = documents.count()
    accepted = banded.count()
    distinct_ids = banded.select("id").distinct().count()
    if distinct_ids != accepted:
        raise SystemExit(f"simdedup_spark: ids must be unique: {accepted} documents, {distinct_ids} distinct ids")
    log(f"{total} documents in, {total - accepted} rejected (null id, null or empty text)")

    exploded = banded.select("id", F.posexplode("bands").alias("band", "key"))
    bucket_root = exploded.groupBy("band", "key").agg(F.min("id").alias("root"))
    edges = (exploded.join(bucket_root, ["band", "key"]).where(F.col("id") != F.col("root"))
             .select(F.col("id").alias("u"), F.col("root").alias("v")).distinct())
    components = connected_components(edges, args.max_iterations, log)
    labels = components.select(F.col("u").alias("id"), F.col("v").alias("cluster"))
    result = (banded.select("id").join(labels, "id", "left")
              .select("id", F.coalesce(F.col("cluster"), F.col("id")).alias("cluster")))
    writer = result.write.mode("overwrite")
    target = os.path.join(args.output, "clusters")
    if args.output_format == "parquet":
        writer.parquet(target)
    else:
        writer.json(target)
    clusters = result.select("cluster").distinct().count()
    elapsed = time.time() - started
    log(f"{accepted} documents, {clusters} clusters, {accepted - clusters} duplicates; "
        f"{elapsed:.1f} s, {accepted / max(elapsed, 1e-9):.0f} docs/s; output {target}")
    spark.stop()


if __name__ == "__main__":
    main()
