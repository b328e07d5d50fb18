#!/usr/bin/env python3
"""Deterministic synthetic postmortem archive for the Inquest benchmarks.

    python3 Benchmarks/generate.py --count 10000 --out /tmp/archive
    python3 Benchmarks/generate.py --count 1000 --commits 5000 --out /tmp/history

Writes a git repository at OUT with:

    inquest.yml
    postmortems/causes.yml                 generated root-cause catalogue (40 causes)
    postmortems/YYYY/YYYY-MM-DD-slug.md    COUNT postmortems of about 4 KB each

Every document is meant to be clean under `inquest lint` (no errors, no warnings; infos such as
causes/recurring are expected): full schema, the six required sections in order, timelines in
chronological order, action items with owner, ticket and due date, related ids that exist,
relative links that resolve, and blameless wording (systems as subjects, roles not names).

Root causes recur with a Zipf distribution (weight 1/rank), so a few causes account for
most incidents, as in real archives. Open action items appear only in postmortems whose causes
never recur later (otherwise causes/open-action-items would warn, by design).

Determinism: a seeded `random.Random`, no clock, no environment; the git history is written with
`git fast-import` using fixed author/committer dates, so the same arguments give byte-identical
files and the same commit ids.

--commits C (C >= COUNT) spreads the documents over C commits, each commit touching one file
(drafts, reviews and edits before the final text), for measuring history loading. The final tree
is identical to the one written without --commits (which uses one commit per quarter), and
--commits 1 puts everything in a single commit.
"""

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys

EPOCH = dt.datetime(2016, 1, 1, tzinfo=dt.timezone.utc)
SPAN_DAYS = 3653  # 2016-01-01 .. 2025-12-31

# ---------------------------------------------------------------------------------------------
# Vocabulary. Every sentence is written with systems, tools or roles as subjects. First names of
# authors are not English words, so they never collide with prose.

FIRST = ["Amara", "Kwame", "Ingrid", "Tomasz", "Priyanka", "Mateo", "Yuki", "Leila", "Sven", "Nadia",
         "Oluwaseun", "Bartosz", "Farida", "Henrik", "Ines", "Joaquin", "Keiko", "Lars", "Marisol",
         "Nikhil", "Rania", "Soren", "Thandiwe", "Valentina", "Ximena", "Yusuf", "Zofia", "Anouk",
         "Dagny", "Emeka", "Folasade", "Giedre", "Hamza", "Ilse", "Jurgen", "Kalani", "Ludmila"]
LAST = ["Okafor", "Mensah", "Halvorsen", "Kowalczyk", "Raghunathan", "Iturbe", "Tanabe", "Haddad",
        "Lindqvist", "Petrenko", "Adeyemi", "Wisniewski", "Nasser", "Bergstrom", "Duarte", "Villalobos",
        "Nakashima", "Eriksen", "Quintero", "Venkataraman", "Khoury", "Kjaergaard", "Ndlovu", "Moretti"]

SERVICES = ["api", "checkout", "search", "payments", "auth", "notifications", "billing", "booking",
            "web", "gateway", "ledger", "inventory", "scheduler", "reporting", "analytics", "storage",
            "cdn", "dns", "mail", "webhooks", "mobile-api", "pricing", "catalogue", "sessions", "queue",
            "ingest", "export", "identity", "tenancy", "maps"]
SHARED_TEAMS = ["@sre-team", "@platform-team", "@dba-team", "@network-team", "@security-team",
                "@release-team", "@observability-team"]
TAGS = ["postgres", "kafka", "redis", "kubernetes", "terraform", "dns", "tls", "cdn", "deploys",
        "migrations", "configuration", "capacity", "alerting", "retries", "timezones", "queues",
        "caching", "load-balancer", "feature-flags", "cron", "backups", "networking", "storage"]
DATASTORES = ["postgres", "redis", "kafka", "elasticsearch", "etcd", "memcached", "mysql", "rabbitmq"]
METRICS = ["error rate", "p99 latency", "queue age", "connection count", "5xx ratio", "CPU saturation",
           "replication lag", "disk usage"]
REGIONS = ["eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-southeast"]

AREAS = [
    ("edge", "edge and networking layer", "at the edge"),
    ("data", "data layer", "in the data layer"),
    ("platform", "shared platform", "on the shared platform"),
    ("app", "application services", "in application services"),
]

# Base causes: id, title, category, description, root-cause paragraphs, action items.
# {svc} service, {ds} datastore, {metric} metric, {n} number, {region} region.
BASES = [
    ("no-alert-on-saturation", "No alert on resource saturation", "monitoring",
     "A finite resource approached its limit with no alert until it was exhausted, so users noticed before the monitoring did.",
     ["The {ds} connection pool behind `{svc}` had a fixed size of {n}, and nothing alerted while usage climbed past 90% over the preceding week.",
      "Saturation metrics existed on the {svc} dashboard, but no alert rule read them; the first signal was the {metric} alert, which fires only after requests are already affected."],
     ["Alert when the {ds} connection pool for `{svc}` stays above 85% for 10 minutes",
      "Add saturation panels and alert rules to the standard `{svc}` dashboard template"]),
    ("missing-runbook-step", "Runbook missing a required step", "process",
     "An operational procedure ran to completion as written, but the written procedure did not include a step that the system needed.",
     ["The {svc} failover runbook ended after promoting the new {ds} primary; it had no step to re-point the read replicas, so they kept following the old node.",
      "The runbook was last revised before the {region} region existed, and the checklist at its end verified only the primary path."],
     ["Add the replica re-point step and a verification query to the `{svc}` failover runbook",
      "Automate the failover checklist as a script that refuses to finish until every check passes"]),
    ("single-point-of-failure", "Single point of failure", "architecture",
     "One host, process, provider or credential carried all of a critical workload with no replica or fallback.",
     ["All {svc} traffic in {region} passed through one {ds} node; the design assumed its hardware would outlive the migration that was meant to replace it.",
      "The second node existed in the diagram but had been folded into another cluster during a cost review, and no health check verified that a standby was present."],
     ["Run `{svc}` on at least two {ds} nodes in {region} with automatic failover",
      "Add a synthetic check that fails when any tier of `{svc}` has fewer than two healthy members"]),
    ("untested-migration", "Migration not exercised against production-like data", "change-management",
     "A schema or data migration was tested only against small or synthetic data, so its run time and locking behaviour were unknown until production.",
     ["The migration on the `{svc}` tables took an exclusive lock; on the staging data set it finished in seconds, on the {n} million production rows it held the lock for minutes.",
      "The migration pipeline has no stage that runs against a recent, anonymised copy of production data."],
     ["Run every `{svc}` schema migration against the nightly anonymised snapshot before merge",
      "Make the migration runner refuse statements that take an exclusive lock on tables above 1 GB"]),
    ("expiry-not-monitored", "Expiring credential or certificate not monitored", "monitoring",
     "A certificate, token, key or secret with a fixed lifetime had no monitoring on its remaining validity.",
     ["The TLS certificate for the `{svc}` endpoint in {region} renewed through a cron job whose output went to a local mailbox; renewals had stopped {n} days earlier with no signal.",
      "Certificate validity was not exported as a metric, so the only check on it was the expiry itself."],
     ["Export remaining validity of every certificate as a metric and alert at 21 days",
      "Move `{svc}` certificate renewal to the managed issuer with alerting on renewal errors"]),
    ("unsafe-default", "Unsafe default value", "architecture",
     "A setting, flag or tool parameter defaulted to the riskier behaviour when it was unset.",
     ["The `{svc}` maintenance tool executes against production when no environment flag is given; a run intended as a rehearsal therefore acted on live data.",
      "The default was chosen years ago, when the tool had a single environment, and no review revisited it when staging was added."],
     ["Make the `{svc}` maintenance tool require an explicit `--env` and default to dry-run",
      "Add a confirmation prompt showing the target environment and row counts before any write"]),
    ("config-drift", "Configuration drift between hosts", "change-management",
     "Hosts that were meant to be identical diverged in configuration, and nothing compared them with the fleet.",
     ["One {svc} node came up from an image two releases behind the fleet, with a different `{ds}` client timeout, and nothing compared its effective configuration with its peers.",
      "Host replacement used a pinned image version from the runbook instead of the current release."],
     ["Export a hash of the effective `{svc}` configuration and alert when nodes disagree",
      "Replace pinned image versions in the host-replacement runbook with the current release tag"]),
    ("capacity-planning-gap", "Capacity not planned for known peaks", "capacity",
     "A known traffic peak exceeded provisioned capacity because the plan was based on average load.",
     ["The `{svc}` capacity plan used the average of the last quarter; the seasonal peak reached {n}% above that average and the autoscaler maximum was below it.",
      "Load tests covered 1.5 times average load, which is below every peak recorded in the previous two years."],
     ["Base the `{svc}` autoscaler maximum on the highest peak of the last two years plus 30%",
      "Run a load test at peak traffic before each seasonal campaign"]),
    ("unbounded-retries", "Retries without backoff or budget", "architecture",
     "Clients retried failed calls immediately and without limit, multiplying load on a struggling dependency.",
     ["The `{svc}` client retried every failed call to `{ds}` up to {n} times with no backoff, so a brief slowdown became a retry storm that tripled the request rate.",
      "The shared HTTP client library has no retry budget, and its default retry count applies to every call site."],
     ["Add exponential backoff with jitter and a retry budget to the shared `{svc}` client",
      "Alert when the retry ratio of any client exceeds 10% for 5 minutes"]),
    ("timezone-naive-date-handling", "Dates computed without a time zone", "correctness",
     "Code derived calendar dates from instants without an explicit time zone, so results depended on the process default.",
     ["The `{svc}` date helper accepts an optional time zone and silently uses UTC when none is given; dates for accounts east of UTC therefore fell on the previous day.",
      "Unit tests run with every fixture in UTC, where the difference cannot appear."],
     ["Remove the default time zone from the `{svc}` date helper",
      "Run the `{svc}` test suite under four time zones in CI"]),
    ("destructive-op-without-guard", "Destructive operation without a guard", "process",
     "A command that deletes or overwrites data ran without a confirmation, dry run or scope limit.",
     ["The cleanup command for `{svc}` accepted a table pattern with no limit on how many tables it matched, and the pattern matched {n} tables instead of one.",
      "Production database credentials on the maintenance host carry DDL rights, so the tool was able to act on any schema."],
     ["Make the `{svc}` cleanup command print the matched objects and require confirmation",
      "Issue maintenance credentials without DDL rights by default"]),
    ("shared-code-without-contract-tests", "Shared code changed without contract tests", "change-management",
     "A library or base image shared by several services changed behaviour without tests of its consumers.",
     ["A release of the shared rendering library changed how empty fields serialise; `{svc}` relied on the old behaviour and no contract test covered it.",
      "The library's CI runs only its own unit tests, not the test suites of the {n} services that import it."],
     ["Add consumer contract tests for `{svc}` to the shared library pipeline",
      "Publish shared library releases to a canary consumer for 24 hours before general use"]),
    ("alert-routing-gap", "Alert routed to nobody", "monitoring",
     "An alert fired correctly but was routed to a channel or team that does not respond to it.",
     ["The `{svc}` {metric} alert fired {n} minutes into the incident, but it routed to a channel archived during a team reorganisation, so no page went out.",
      "Alert routes are configured separately from team ownership data, and nothing checks that every route has an owner."],
     ["Derive alert routes for `{svc}` from the service ownership catalogue",
      "Add a weekly check that every alert route reaches an on-call schedule"]),
    ("replica-role-not-enforced", "Replica role not enforced", "architecture",
     "A node's role (primary, replica, read-only) was assumed by clients but not enforced by the system.",
     ["After failover the old {ds} primary for `{svc}` accepted writes for {n} minutes, because the read-only flag is set by the runbook and not by the node itself.",
      "Clients resolve the primary through a DNS name with a 300 second TTL."],
     ["Make `{ds}` nodes start read-only unless they hold the leader lease",
      "Lower the `{svc}` primary DNS TTL to 30 seconds and have clients check the node role"]),
    ("dns-ttl-too-long", "DNS TTL longer than the cutover window", "change-management",
     "A cutover relied on clients re-resolving a name, but the record's TTL kept old answers cached for hours.",
     ["The `{svc}` record carried a TTL of {n} hours, so resolvers kept sending traffic to the retired addresses long after the cutover.",
      "The cutover plan had no step to lower the TTL a day in advance."],
     ["Add a TTL-lowering step one day before every `{svc}` DNS cutover",
      "Alert on traffic reaching addresses marked as retired in the inventory"]),
    ("queue-without-backpressure", "Queue without backpressure", "architecture",
     "A producer kept writing to a queue whose consumers could not keep up, with no limit or signal back to the producer.",
     ["The `{svc}` producers kept publishing to `{ds}` at full rate while consumers were degraded; the backlog reached {n} thousand messages before anything slowed it.",
      "Queue age was not part of any service level objective, so the backlog looked healthy to every dashboard."],
     ["Add a queue-age objective for `{svc}` and alert at 5 minutes",
      "Make `{svc}` producers slow down when the consumer lag exceeds the configured bound"]),
    ("cache-stampede", "Cache stampede on expiry", "architecture",
     "Many requests missed an expired cache entry at once and all recomputed it against the backing store.",
     ["All `{svc}` cache entries for the catalogue shared one expiry time, so at expiry {n} thousand requests went to `{ds}` within a second.",
      "The cache client has no request coalescing, so each miss started its own recomputation."],
     ["Add jitter to `{svc}` cache expiry times",
      "Coalesce concurrent cache misses for the same key in the `{svc}` cache client"]),
    ("feature-flag-default-on", "Feature flag enabled by default", "change-management",
     "A new code path shipped behind a flag whose default was on, so it reached every tenant at deploy time.",
     ["The new `{svc}` ranking path was guarded by a flag that defaults to on when the flag service has no entry, and the entry was created only for the test tenant.",
      "The flag library does not distinguish between an unset flag and an enabled one."],
     ["Make unset flags in the `{svc}` flag client resolve to off",
      "Add a release check that lists every flag whose default differs from its production value"]),
    ("insufficient-canary", "Canary too small to detect the fault", "change-management",
     "A rollout went through a canary stage that could not observe the fault, so it was promoted to the fleet.",
     ["The `{svc}` canary served {n}% of traffic for ten minutes, which did not include any request of the affected type.",
      "Canary analysis compared only the 5xx ratio, while the fault produced successful responses with wrong content."],
     ["Extend `{svc}` canary analysis to include content checks on synthetic requests",
      "Hold the `{svc}` canary until it has served each major request type at least 1,000 times"]),
    ("backup-not-restorable", "Backups never restore-tested", "process",
     "Backups were taken on schedule but never restored, so a problem with them surfaced only when a restore was needed.",
     ["The `{ds}` backups for `{svc}` completed every night, but the restore path had not been exercised in {n} months and the archive format had changed in the meantime.",
      "Backup monitoring checked only that a file appeared, not that it could be restored."],
     ["Restore the `{svc}` backup into a scratch instance every week and alert on failure",
      "Record restore duration as a metric and compare it with the recovery objective"]),
    ("dependency-version-unpinned", "Dependency version not pinned", "change-management",
     "A build resolved a dependency to a newer version than the one tested, changing behaviour without a code change.",
     ["The `{svc}` build resolved its `{ds}` client to the newest minor version, which changed the default timeout from 30 to {n} seconds.",
      "The lock file was not checked in for this service, so two builds of the same commit could differ."],
     ["Check in the lock file for `{svc}` and fail builds that modify it",
      "Add a dependency update job that opens reviewed pull requests instead of floating versions"]),
    ("health-check-too-shallow", "Health check too shallow", "monitoring",
     "A health check reported healthy while the service could not do its work, so traffic kept flowing to broken instances.",
     ["The `{svc}` health endpoint returned 200 as long as the process was running; instances that had lost their `{ds}` connection stayed in the pool.",
      "The load balancer removed instances only on health check results, and those results never changed."],
     ["Make the `{svc}` readiness check verify its `{ds}` connection",
      "Alert when an instance serves more than 20% errors while reporting healthy"]),
    ("rate-limit-misconfigured", "Rate limit set below real traffic", "capacity",
     "A rate limit was set from an estimate that was lower than legitimate peak traffic.",
     ["The `{svc}` gateway limit of {n} requests per second per tenant came from a 2019 estimate; the largest tenant's normal peak was above it.",
      "Limits are stored in a file with no owner and no review when tenants grow."],
     ["Derive `{svc}` rate limits from observed per-tenant peaks, reviewed quarterly",
      "Alert when a tenant's legitimate traffic reaches 80% of its limit"]),
    ("log-volume-unbounded", "Log volume without bounds", "capacity",
     "Logging at a verbose level or without rotation filled disks or pipelines.",
     ["A `{svc}` host logged at DEBUG without rotation and filled its {n} GB root volume.",
      "Log level is set per host at build time, so hosts built outside the pipeline keep whatever level the image had."],
     ["Enforce log rotation and a size cap for `{svc}` in the base image",
      "Alert when any filesystem stays above 85% for 15 minutes"]),
    ("clock-skew", "Clock skew between hosts", "correctness",
     "Hosts disagreed about the current time, breaking token validation, ordering or scheduling.",
     ["Two `{svc}` hosts had drifted {n} seconds from the rest of the fleet after the time service was moved, and tokens issued by them were rejected as not yet valid.",
      "Clock offset was collected but not alerted on."],
     ["Alert when any `{svc}` host's clock offset exceeds 500 ms",
      "Allow 30 seconds of clock tolerance in token validation"]),
    ("secrets-rotation-uncoordinated", "Secret rotation not coordinated with consumers", "process",
     "A secret was rotated on one side of an integration while the other side still used the old value.",
     ["The webhook signing secret for `{svc}` was rotated at the provider, while `{svc}` kept the old value for {n} hours, so every callback failed verification.",
      "The rotation procedure lived in two runbooks owned by different teams, and neither referenced the other."],
     ["Accept both old and new `{svc}` secrets during a rotation window",
      "Track every shared secret with its consumers in the secrets inventory"]),
    ("noisy-alerts", "Alert fatigue from noisy alerts", "monitoring",
     "An alert that mattered was lost among alerts that fire often without action.",
     ["The `{svc}` alert channel received {n} alerts per day, most of them self-resolving, so the relevant page looked like the others.",
      "No process retires alerts that never lead to action."],
     ["Retire `{svc}` alerts that led to no action in the last 90 days",
      "Separate paging alerts from informational ones in the `{svc}` routing"]),
    ("missing-timeout", "Call without a timeout", "architecture",
     "A network call had no timeout, so a slow dependency tied up workers until the pool was exhausted.",
     ["Calls from `{svc}` to `{ds}` had no client-side timeout; when `{ds}` slowed down, all {n} workers waited on it and the service stopped answering.",
      "The service template sets timeouts for HTTP calls but not for `{ds}` connections."],
     ["Set explicit timeouts on every `{svc}` call to `{ds}`",
      "Add `{ds}` timeouts to the service template and lint for calls without one"]),
    ("manual-step-in-deploy", "Manual step in the deploy pipeline", "process",
     "A release depended on a manual step outside the pipeline, so it could be run out of order.",
     ["The `{svc}` release required a manual cache purge after the deploy; the pipeline reported success before the purge, and the purge was queued behind {n} other requests.",
      "The pipeline has no way to express a post-deploy step, so the step lives in a wiki page."],
     ["Move the `{svc}` cache purge into the deploy pipeline",
      "Block pipeline completion until post-deploy checks pass"]),
    ("observability-gap", "Missing telemetry for the failing path", "monitoring",
     "The failing code path emitted no metrics or traces, so diagnosis relied on guesswork.",
     ["The `{svc}` batch path emitted no metrics, so the {metric} dashboards showed nothing unusual for {n} minutes.",
      "Tracing covered only request handlers, not background workers."],
     ["Instrument `{svc}` background workers with the standard metrics and traces",
      "Add a dashboard for the `{svc}` batch path with its own objectives"]),
    ("stale-service-discovery", "Stale service discovery entries", "architecture",
     "Clients kept routing to instances that had left service, because discovery entries outlived them.",
     ["Deregistration of `{svc}` instances depended on a shutdown hook that does not run when a host loses power, so {n} stale entries stayed in the registry.",
      "Registry entries carry no heartbeat expiry; a stale address stays routable until something removes it."],
     ["Expire `{svc}` registry entries that miss three heartbeats",
      "Alert when the registry lists more `{svc}` instances than the scheduler runs"]),
    ("hot-partition", "Hot partition from skewed keys", "capacity",
     "A partitioning key concentrated traffic from one tenant or time window onto a single shard.",
     ["The `{svc}` events topic is partitioned by tenant, and one tenant produced {n}% of the traffic, saturating a single partition while the others idled.",
      "Partition-level throughput is not graphed, so the skew was invisible on the topic totals."],
     ["Partition `{svc}` events by tenant and a hash bucket for large tenants",
      "Graph per-partition throughput for `{svc}` and alert on skew above 5x"]),
    ("permission-change-untested", "Permission change without verification", "change-management",
     "An access policy change removed a permission a background job still needed, and nothing exercised that path before it mattered.",
     ["The tightened storage policy removed write access for the `{svc}` export role; the nightly export is the only caller and it next ran {n} hours later.",
      "Policy changes are reviewed as text; no test runs the affected roles against the new policy."],
     ["Add a policy simulation step that exercises every `{svc}` role before apply",
      "Alert on authorization denials for service roles within 10 minutes"]),
    ("disk-io-contention", "Disk I/O contention from co-located jobs", "capacity",
     "A batch workload shared disks with a latency-sensitive service and consumed its I/O budget.",
     ["The weekly compaction of `{ds}` ran on the same volumes as `{svc}`, and its sequential writes pushed read latency from 2 ms to {n} ms.",
      "Volume I/O limits are set per host, not per workload, so the compaction took all of it."],
     ["Move `{ds}` compaction for `{svc}` to dedicated volumes",
      "Apply per-workload I/O limits on shared `{svc}` hosts"]),
    ("schema-mismatch-between-versions", "Schema mismatch during rolling deploy", "change-management",
     "Old and new versions running side by side during a rollout disagreed about a message or table format.",
     ["The new `{svc}` release wrote events with a renamed field, while {n} consumers still ran the previous release and discarded them as malformed.",
      "The deploy order between producer and consumer is not encoded anywhere, so both rolled out in parallel."],
     ["Require backward-compatible `{svc}` event schemas, enforced by the schema registry",
      "Deploy `{svc}` consumers before producers through a pipeline dependency"]),
    ("orphaned-cron-job", "Scheduled job without an owner", "process",
     "A scheduled job kept running after its purpose changed, with no owner to notice its effects.",
     ["A cron job on the legacy `{svc}` host still rebuilt the index every {n} minutes against a table whose format had changed.",
      "The job is not listed in the service catalogue, so the migration plan had no entry for it."],
     ["Inventory every scheduled job with an owner in the service catalogue",
      "Alert when a scheduled job on `{svc}` hosts exits non-zero twice in a row"]),
    ("load-balancer-drain-missing", "Instances removed without draining", "process",
     "Instances were taken out of service while still holding connections, cutting in-flight requests.",
     ["Scale-in removed `{svc}` instances immediately, without the {n} second connection drain the load balancer supports.",
      "The drain setting lives in a template that the autoscaling group for `{svc}` does not use."],
     ["Enable connection draining on the `{svc}` autoscaling group",
      "Add a check that every target group uses the standard drain template"]),
    ("memory-leak-under-load", "Memory growth under sustained load", "correctness",
     "A process grew its memory use with traffic until the orchestrator killed it, in waves across the fleet.",
     ["`{svc}` kept a per-connection buffer that was released only on clean shutdown; under sustained load each pod grew by {n} MB per hour until it was killed.",
      "Pods restarted in waves because they had all started at the same deploy."],
     ["Fix the `{svc}` buffer release path and add a soak test to CI",
      "Alert on memory growth rate per `{svc}` pod, not only on the absolute limit"]),
    ("third-party-limit-unknown", "Unknown third-party quota", "architecture",
     "An external provider enforced a quota that nobody had recorded, and traffic growth reached it.",
     ["The maps provider enforces {n} thousand requests per day on the `{svc}` key; the quota was not in any document and growth reached it on a weekday afternoon.",
      "Provider responses carry quota headers, but `{svc}` does not record them."],
     ["Record provider quota headers from `{svc}` as metrics and alert at 80%",
      "Keep third-party quotas for `{svc}` in the service catalogue with a review date"]),
    ("split-brain-failover", "Split brain after network partition", "architecture",
     "Both sides of a partition believed they were primary and accepted writes.",
     ["A partition between zones left two `{ds}` nodes for `{svc}` each holding a leader lease, because lease renewal tolerated {n} seconds of clock difference.",
      "Fencing relies on the old primary stepping down by itself."],
     ["Add fencing tokens to `{svc}` writes so a deposed `{ds}` primary is rejected",
      "Run a quarterly partition drill for `{svc}` in staging"]),
]

EVENT_START = [
    "`{svc}` {metric} begins to rise in {region}.",
    "First failed requests appear in the `{svc}` logs.",
    "A scheduled job on `{svc}` starts its nightly run.",
    "Traffic to `{svc}` reaches its daily peak.",
    "A new `{svc}` release starts rolling out to {region}.",
]
EVENT_DETECT = [
    "The {metric} alert pages the {svc} on-call engineer.",
    "Support escalates a cluster of tickets about `{svc}` to the incident channel.",
    "A synthetic check against `{svc}` fails in {region} and pages the SRE on-call engineer.",
    "The status page monitor reports errors from `{svc}`; the incident commander role is assigned.",
]
EVENT_MID = [
    "The on-call engineer confirms the {metric} increase on the `{svc}` dashboard.",
    "Incident declared; the incident commander opens a bridge and a status page entry.",
    "Error logs show timeouts between `{svc}` and `{ds}`.",
    "The `{ds}` dashboards show {metric} at {n}% of the limit.",
    "The release is paused while the team compares the canary and the baseline.",
    "Support posts a holding reply for affected customers.",
    "The database on-call engineer joins the bridge.",
    "A second region is checked; `{svc}` in {region} looks healthy.",
    "The previous `{svc}` release is prepared as a rollback candidate.",
    "Traces show requests waiting on a lock in `{ds}`.",
]
EVENT_MITIGATE = [
    "Traffic shifted away from the affected `{svc}` nodes. Incident mitigated.",
    "Rollback of `{svc}` completes; {metric} returns to baseline. Incident mitigated.",
    "`{ds}` capacity for `{svc}` raised; error rate back to normal. Incident mitigated.",
    "Feature flag for the new `{svc}` path turned off. Incident mitigated.",
]
EVENT_AFTER = [
    "Backlog in `{svc}` drained.",
    "Data repair job for `{svc}` completes; counts reconciled.",
    "Follow-up checks on `{svc}` pass in every region.",
]
EVENT_RESOLVE = [
    "`{svc}` back to normal operation. Incident resolved.",
    "Monitoring shows `{svc}` stable for two hours. Incident resolved.",
]

SUMMARY = [
    "Between {start} and {mitigated} UTC, `{svc}` returned errors for about {pct}% of requests in {region}. {cause_sentence} The incident lasted {duration} from first impact to mitigation.",
    "For {duration}, customers using `{svc}` saw slow or failed responses. {cause_sentence} Service recovered once traffic was moved and the underlying condition removed.",
    "`{svc}` degraded on {day} when {trigger}. {cause_sentence} About {pct}% of requests were affected during the worst {duration}.",
]
TRIGGERS = [
    "traffic reached its seasonal peak", "a routine release reached {region}", "a scheduled maintenance job started",
    "a `{ds}` node in {region} became unavailable", "a configuration update reached the fleet",
    "a batch import started for a large tenant",
]
IMPACT_LINES = [
    "- {pct}% of `{svc}` requests failed or timed out for {duration}.",
    "- About {k} customers saw errors; {t} support tickets were opened.",
    "- No data was lost; {k} delayed jobs completed after recovery.",
    "- Requests in other regions were not affected.",
    "- Median latency rose from 120 ms to {lat} ms during the incident.",
    "- {t} orders were retried automatically and completed later.",
]
LESSONS = [
    "Signals that exist but reach nobody are equivalent to no signal; routing is part of the alert.",
    "Defaults carry decisions made for an earlier version of the system and deserve a periodic review.",
    "Procedures that look complete when they stop need a verification step that checks the end state.",
    "Load tests are only as useful as the peak they model.",
    "Shared components need tests owned by their consumers.",
]
WENT_WELL = [
    "The rollback path worked on the first attempt and took under five minutes.",
    "The incident channel template made roles clear within minutes.",
    "Synthetic checks detected the problem before most customers did.",
    "The feature flag made it possible to stop the impact without a deploy.",
    "The status page was updated within ten minutes of detection.",
]
CODE_BLOCKS = [
    ("sql", "SELECT count(*) AS waiting, max(now() - query_start) AS oldest\nFROM pg_stat_activity\nWHERE wait_event_type = 'Lock' AND datname = '{svc}';"),
    ("sh", "kubectl -n {svc} rollout undo deployment/{svc}-web\nkubectl -n {svc} rollout status deployment/{svc}-web --timeout=10m"),
    ("yaml", "{svc}:\n  pool:\n    max_connections: {n}\n    acquire_timeout: 5s\n  retries:\n    attempts: 3\n    backoff: exponential"),
    ("text", "{stamp} WARN  {svc}-worker-3 pool exhausted (size={n}, waiting=412)\n{stamp} ERROR {svc}-worker-3 request timed out after 30000 ms\n{stamp} ERROR {svc}-worker-7 request timed out after 30000 ms"),
]


def zipf_weights(n, s=1.1):
    return [1.0 / (rank ** s) for rank in range(1, n + 1)]


def build_causes(rng):
    """One cause per base, each with its own wording (sibling causes that share their prose would
    flood causes/similar with look-alikes). Order after the shuffle = popularity rank."""
    causes = [(base, AREAS[i % len(AREAS)]) for i, base in enumerate(BASES)]
    rng.shuffle(causes)
    return causes


def cause_id(cause):
    return cause[0][0]


def yaml_str(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def causes_yaml(causes):
    out = ["# Generated root-cause catalogue for the Inquest benchmark archive.", ""]
    for cause in sorted(causes, key=cause_id):
        base, area = cause
        out.append(f"{cause_id(cause)}:")
        out.append(f"  title: {yaml_str(base[1])}")
        out.append("  description: >-")
        out.append(f"    {base[3]}")
        out.append(f"    Seen {area[2]}.")
        out.append(f"  category: {base[2]}")
        out.append(f"  aliases: [{base[0]}-{area[0]}]")
        out.append("")
    return "\n".join(out)


def fmt_duration(minutes):
    if minutes < 60:
        return f"{minutes} minutes"
    h, m = divmod(minutes, 60)
    hours = f"{h} hour" + ("s" if h > 1 else "")
    return hours if m == 0 else f"{hours} {m} minutes"


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:00Z")


class Doc:
    pass


def plan_documents(count, rng, causes):
    weights = zipf_weights(len(causes), 1.0)
    svc_weights = zipf_weights(len(SERVICES), 0.8)
    # Start minutes, unique, spread across the span.
    minutes = sorted(rng.sample(range(SPAN_DAYS * 24 * 60 - 3 * 24 * 60), count))
    docs = []
    used_ids = set()
    for index, minute in enumerate(minutes):
        d = Doc()
        d.index = index
        d.started = EPOCH + dt.timedelta(minutes=minute)
        d.date = d.started.strftime("%Y-%m-%d")
        d.services = []
        for s in rng.choices(SERVICES, weights=svc_weights, k=rng.choice([1, 1, 1, 2, 2, 3])):
            if s not in d.services:
                d.services.append(s)
        d.root = []
        for c in rng.choices(causes, weights=weights, k=rng.choice([1, 1, 1, 2])):
            if c not in d.root:
                d.root.append(c)
        d.factors = []
        for c in rng.choices(causes, weights=weights, k=rng.choice([0, 0, 1])):
            if c not in d.root and c not in d.factors:
                d.factors.append(c)
        primary = d.root[0][0]
        slug_words = primary[0].split("-")[:3]
        stem = f"{d.date}-{d.services[0]}-{'-'.join(slug_words)}"
        ident, k = stem, 2
        while ident in used_ids:
            ident, k = f"{stem}-{k}", k + 1
        used_ids.add(ident)
        d.id = ident
        d.year = d.date[:4]
        d.path = f"postmortems/{d.year}/{d.id}.md"
        docs.append(d)
    # Archive order: by date, then id (Archive.chronologicalOrder).
    docs.sort(key=lambda d: (d.date, d.id, d.path))
    for position, d in enumerate(docs):
        d.position = position
    # Which documents share a cause with a later one: their action items must all be done.
    last_seen = {}
    for d in docs:
        for c in d.root + d.factors:
            last_seen[cause_id(c)] = d.position
    # causes/open-action-items orders by `started` when both documents have one, so two incidents
    # of a cause on the same day count by their start time, not by id: check that order too.
    latest_start = {}
    for d in docs:
        for c in d.root + d.factors:
            latest_start[cause_id(c)] = max(latest_start.get(cause_id(c), d.started), d.started)
    for d in docs:
        d.recurs_later = any(last_seen[cause_id(c)] > d.position or latest_start[cause_id(c)] > d.started
                             for c in d.root + d.factors)
    # Related: up to three earlier documents sharing the primary cause (recent ones first).
    by_cause = {}
    for d in docs:
        earlier = by_cause.get(cause_id(d.root[0]), [])
        pick = rng.choice([0, 0, 1, 1, 2, 3])
        candidates = earlier[-20:]
        d.related = rng.sample(candidates, min(pick, len(candidates))) if candidates else []
        d.related.sort(key=lambda r: r.position)
        for c in d.root:
            by_cause.setdefault(cause_id(c), []).append(d)
    return docs


def render(d, rng, ticket_counter):
    ctx = {
        "svc": d.services[0],
        "ds": rng.choice(DATASTORES),
        "metric": rng.choice(METRICS),
        "region": rng.choice(REGIONS),
        "n": rng.choice([12, 24, 40, 64, 90, 120, 200, 350]),
    }

    def f(text):
        return text.format(**ctx)

    sev = rng.choices(["SEV1", "SEV2", "SEV3", "SEV4"], weights=[1, 3, 5, 3])[0]
    status = rng.choices(["final", "in-review"], weights=[9, 1])[0]
    detect_after = rng.randint(2, 45)
    mitigate_after = detect_after + rng.randint(10, 180)
    resolve_after = mitigate_after + rng.randint(30, 600)
    started = d.started
    detected = started + dt.timedelta(minutes=detect_after)
    mitigated = started + dt.timedelta(minutes=mitigate_after)
    resolved = started + dt.timedelta(minutes=resolve_after)
    authors = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in authors:
            authors.append(name)
    tags = sorted(set(rng.sample(TAGS, rng.choice([1, 2, 3]))))
    primary_base, primary_area = d.root[0]
    title_templates = [
        "Errors from {svc} in {region} after {what}",
        "Slow {svc} responses for {pct}% of requests",
        "The {svc} service unavailable for {dur} in {region}",
        "Delayed {svc} processing after {what}",
    ]
    what = primary_base[1][0].lower() + primary_base[1][1:]
    pct = rng.choice([2, 4, 7, 9, 12, 18, 25, 40, 60, 100])
    title = rng.choice(title_templates).format(svc=ctx["svc"], region=ctx["region"], what=what.lower(),
                                               pct=pct, dur=fmt_duration(mitigate_after))

    fm = ["---", f"title: {yaml_str(title)}", f"date: {d.date}", f"status: {status}", f"severity: {sev}", "authors:"]
    fm += [f"  - {a}" for a in authors]
    fm += ["services:"] + [f"  - {s}" for s in d.services]
    fm += [f"started: \"{iso(started)}\"", f"detected: \"{iso(detected)}\"",
           f"mitigated: \"{iso(mitigated)}\"", f"resolved: \"{iso(resolved)}\""]
    fm += ["root_causes:"] + [f"  - {cause_id(c)}" for c in d.root]
    if d.factors:
        fm += ["contributing_factors:"] + [f"  - {cause_id(c)}" for c in d.factors]
    fm += ["tags:"] + [f"  - {t}" for t in tags]
    if d.related:
        fm += ["related:"] + [f"  - {r.id}" for r in d.related]
    fm.append("---")

    body = []
    cause_sentence = f(primary_base[4][0])
    summary = rng.choice(SUMMARY).format(
        start=started.strftime("%H:%M"), mitigated=mitigated.strftime("%H:%M"), svc=ctx["svc"],
        pct=pct, region=ctx["region"], cause_sentence=cause_sentence, duration=fmt_duration(mitigate_after),
        day=started.strftime("%-d %B %Y"), trigger=f(rng.choice(TRIGGERS)))
    body += ["## Summary", "", summary, ""]
    if len(d.root) > 1 or rng.random() < 0.8:
        other = d.root[1][0] if len(d.root) > 1 else primary_base
        body += [f"A second condition made the incident longer: {other[3][0].lower()}{other[3][1:]} "
                 f"Recovery needed {fmt_duration(resolve_after - mitigate_after)} more after mitigation.", ""]

    body += ["## Impact", ""]
    for line in rng.sample(IMPACT_LINES, rng.choice([3, 4, 5])):
        body.append(line.format(pct=pct, svc=ctx["svc"], duration=fmt_duration(mitigate_after),
                                k=rng.randint(40, 9000), t=rng.randint(3, 400), lat=rng.randint(300, 4000)))
    if rng.random() < 0.7:
        body += ["", "| Service | Requests affected | Duration |", "| --- | ---: | --- |"]
        for s in d.services:
            body.append(f"| `{s}` | {rng.randint(1, 60)}% | {fmt_duration(rng.randint(5, mitigate_after))} |")
    body.append("")

    # Timeline: started, a few events, detected, events, mitigated, after, resolved.
    events = [(started, f(rng.choice(EVENT_START))), (detected, f(rng.choice(EVENT_DETECT)))]
    mids = sorted(rng.sample(range(detect_after + 1, mitigate_after), min(rng.randint(3, 6), mitigate_after - detect_after - 1)))
    for m, text in zip(mids, rng.sample(EVENT_MID, len(mids))):
        ctx["n"] = rng.choice([70, 85, 92, 97, 100])
        events.append((started + dt.timedelta(minutes=m), f(text)))
    events.append((mitigated, f(rng.choice(EVENT_MITIGATE))))
    if resolve_after - mitigate_after > 20 and rng.random() < 0.7:
        events.append((mitigated + dt.timedelta(minutes=rng.randint(5, resolve_after - mitigate_after - 5)),
                       f(rng.choice(EVENT_AFTER))))
    events.append((resolved, f(rng.choice(EVENT_RESOLVE))))
    body += ["## Timeline", "", "All times in UTC.", ""]
    as_table = rng.random() < 0.3
    if as_table:
        body += ["| Time | Event |", "| --- | --- |"]
    previous_date = d.date
    for t, text in events:
        day = t.strftime("%Y-%m-%d")
        stamp = t.strftime("%H:%M") if day == previous_date else t.strftime("%Y-%m-%d %H:%M")
        previous_date = day
        body.append(f"| {stamp} | {text} |" if as_table else f"- {stamp} — {text}")
    body.append("")

    body += ["## Root Causes", ""]
    for c in d.root:
        base, area = c
        if len(d.root) > 1:
            body += [f"### {base[1]}", ""]
        ctx["n"] = rng.choice([12, 24, 40, 64, 90, 120, 200, 350])
        body += [f(base[4][0]) + " " + f(base[4][1]), ""]
    if rng.random() < 0.6:
        body += ["Five whys for the primary cause:", "",
                 f"1. Why did `{ctx['svc']}` return errors? {primary_base[3]}",
                 f"2. Why was that possible? {f(primary_base[4][1])}",
                 f"3. Why did it last {fmt_duration(mitigate_after)}? The first signal arrived {detect_after} minutes after impact began, "
                 f"and the {ctx['metric']} dashboard for `{ctx['ds']}` had no alert attached.",
                 "4. Why was there no alert? Alert coverage is reviewed only when a service is launched.", ""]
    for c in d.factors:
        base, area = c
        body += [f"Contributing: {base[3][0].lower()}{base[3][1:]}", ""]
    if d.related:
        r = d.related[-1]
        body += [f"The same pattern appears in [{r.id}](../{r.year}/{r.id}.md).", ""]

    if rng.random() < 0.6:
        body += ["## Detection", "", f"The first signal was the {ctx['metric']} alert, {detect_after} minutes after impact began. "
                 "A saturation check on the underlying resource pages earlier; it is listed under the action items.", ""]

    body += ["## Resolution", "", f("The on-call engineers moved traffic away from the affected `{svc}` nodes in {region}, "
             "then removed the underlying condition and returned traffic gradually while watching the {metric}."), "",
             f("Once the {metric} had stayed at baseline for an hour, the incident commander closed the bridge and "
               "the status page entry; the remaining clean-up is tracked in the action items below."), ""]
    if rng.random() < 0.6:
        lang, code = rng.choice(CODE_BLOCKS)
        ctx["stamp"] = iso(detected)
        body += ["```" + lang, f(code), "```", ""]

    body += ["## Action Items", ""]
    items = []
    for c in d.root + d.factors:
        base = c[0]
        for text in base[5]:
            items.append(text)
    rng.shuffle(items)
    items = items[: rng.randint(3, 5)]
    for i, text in enumerate(items):
        ticket_counter[0] += 1
        done = d.recurs_later or rng.random() < 0.5
        team = rng.choice([f"@{ctx['svc']}-team"] + SHARED_TEAMS)
        due = (resolved + dt.timedelta(days=rng.choice([7, 14, 30, 60, 90]))).strftime("%Y-%m-%d")
        line = f"- [{'x' if done else ' '}] {f(text)} — {team}, LRK-{ticket_counter[0]}"
        if rng.random() < 0.8:
            line += f", due: {due}"
        body.append(line)
    body.append("")

    if rng.random() < 0.5:
        body += ["## Lessons Learned", "", rng.choice(LESSONS), ""]
    if rng.random() < 0.6:
        body += ["## What Went Well", ""] + [f"- {x}" for x in rng.sample(WENT_WELL, 2)] + [""]

    if rng.random() < 0.3:
        body += ["## Where We Got Lucky", "", f"- The incident began outside the {ctx['region']} business peak, "
                 "so fewer customers were active.", ""]
    if rng.random() < 0.35:
        body += ["## Appendix", "", f"### {ctx['metric'].capitalize()} during the incident", "",
                 "| Time (UTC) | Value | Note |", "| --- | ---: | --- |"]
        t = started
        for step in range(rng.randint(4, 7)):
            body.append(f"| {t.strftime('%H:%M')} | {rng.randint(10, 99)}% | {['baseline', 'rising', 'peak', 'recovering'][min(step, 3)]} |")
            t += dt.timedelta(minutes=rng.randint(5, 20))
        body.append("")
    return "\n".join(fm) + "\n\n" + "\n".join(body)


def draft_versions(final, versions):
    """Earlier revisions of a document: a draft, a review, small edits, then the final text."""
    out = []
    for v in range(1, versions):
        text = final
        if v == 1:
            text = text.replace("status: final", "status: draft").replace("status: in-review", "status: draft")
            text = text.replace("- [x]", "- [ ]")
            text = text.split("## Lessons Learned")[0].rstrip() + "\n"
        elif v == 2:
            text = text.replace("status: final", "status: in-review")
        else:
            text = text.replace("## Resolution\n\n", f"## Resolution\n\nRevision {v} of this section.\n\n", 1)
        out.append(text)
    out.append(final)
    return out


CONFIG = """# Generated by Benchmarks/generate.py
postmortems: postmortems
site:
  title: Benchmark archive
  base_url: https://incidents.example.com/
"""

COMMITTERS = [("Amara Okafor", "amara@example.com"), ("Henrik Lindqvist", "henrik@example.com"),
              ("Keiko Tanabe", "keiko@example.com"), ("Emeka Adeyemi", "emeka@example.com")]


def fast_import(out, commits):
    """commits: list of (unix_time, author index, message, [(path, bytes)])."""
    stream = bytearray()
    for mark, (when, who, message, files) in enumerate(commits, 1):
        name, email = COMMITTERS[who % len(COMMITTERS)]
        msg = message.encode()
        stream += b"commit refs/heads/main\n"
        stream += f"author {name} <{email}> {when} +0000\n".encode()
        stream += f"committer {name} <{email}> {when} +0000\n".encode()
        stream += f"data {len(msg)}\n".encode() + msg + b"\n"
        for path, data in files:
            stream += f"M 100644 inline {path}\n".encode()
            stream += f"data {len(data)}\n".encode() + data + b"\n"
        stream += b"\n"
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "init", "-q", "-b", "main", out], check=True, env=env)
    subprocess.run(["git", "-C", out, "fast-import", "--quiet", "--done"], input=bytes(stream) + b"done\n",
                   check=True, env=env)
    subprocess.run(["git", "-C", out, "checkout", "-q", "-f", "main"], check=True, env=env)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20240618)
    parser.add_argument("--commits", type=int, default=0,
                        help="spread documents over this many commits (one file per commit; 1 = single commit)")
    args = parser.parse_args()
    if args.commits and 1 < args.commits < args.count:
        sys.exit("--commits must be 1 or at least --count")

    rng = random.Random(args.seed)
    causes = build_causes(rng)
    docs = plan_documents(args.count, rng, causes)
    ticket_counter = [100]
    texts = {}
    for d in docs:
        texts[d.path] = render(d, random.Random(f"{args.seed}:{d.id}"), ticket_counter).encode()

    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    base_time = int(EPOCH.timestamp())
    setup_files = [("inquest.yml", CONFIG.encode()), ("postmortems/causes.yml", causes_yaml(causes).encode())]
    commits = []
    if args.commits == 1:
        commits.append((base_time + SPAN_DAYS * 86400, 0, "Import postmortem archive\n",
                        setup_files + sorted(texts.items())))
    elif args.commits == 0:
        # One commit per quarter, a few days after the quarter's last incident.
        commits.append((base_time, 0, "Archive configuration and cause catalogue\n", setup_files))
        quarters = {}
        for d in docs:
            q = f"{d.year}-Q{(int(d.date[5:7]) - 1) // 3 + 1}"
            quarters.setdefault(q, []).append(d)
        for i, (q, members) in enumerate(sorted(quarters.items())):
            when = int(max(m.started for m in members).timestamp()) + 5 * 86400
            commits.append((when, i + 1, f"Postmortems for {q}\n", [(m.path, texts[m.path]) for m in members]))
    else:
        # Each document gets `versions` commits (draft → review → edits → final), interleaved in time.
        extra = args.commits - args.count
        per_doc = [1 + extra // args.count + (1 if i < extra % args.count else 0) for i in range(args.count)]
        events = []
        for d, versions in zip(docs, per_doc):
            t0 = int(d.started.timestamp()) + 86400
            for v, text in enumerate(draft_versions(texts[d.path].decode(), versions)):
                events.append((t0 + v * 2 * 86400 + d.position % 3600, d.position, v, d.path, text.encode()))
        events.sort()
        for i, (when, _, v, path, data) in enumerate(events):
            label = "Draft" if v == 0 and per_doc[0] > 1 else "Update"
            # The configuration and catalogue arrive with the first document, so there are exactly C commits.
            commits.append((when, i, f"{label} {os.path.basename(path)}\n", (setup_files if i == 0 else []) + [(path, data)]))
    fast_import(args.out, commits)
    total = sum(len(t) for t in texts.values())
    print(f"generated {len(docs)} postmortems ({total // max(1, len(docs))} bytes on average), "
          f"{len(causes)} causes, {len(commits)} commits in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
