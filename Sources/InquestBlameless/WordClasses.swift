/// Closed word classes used to read clause structure without a full parser.
///
/// The analyzer never needs a part-of-speech tagger: blame lives in a few constructions
/// (subject + modal, subject + cause verb, predicative judgement), and each can be read
/// from these small sets plus the phrase lexicon. All entries are lowercase and in
/// tokenizer form (contractions expanded, hyphens dropped).
enum WordClass {
    /// Pronouns and indefinites that refer to people.
    static let personPronouns: Set<String> = Set([
        "i", "we", "you", "he", "she", "they", "someone", "somebody", "everyone", "everybody",
        "anyone", "anybody", "whoever", "us", "me", "him", "them", "yourself", "myself", "ourselves",
        "himself", "herself", "themselves",
    ])

    /// Indefinites that deny any person acted; "nobody could have known" is exculpatory.
    static let negativePersonPronouns: Set<String> = ["nobody", "noone", "none"]

    /// Nouns for roles people fill. Plurals included; compounds checked in `SubjectFinder`.
    static let roleNouns: Set<String> = {
        let singular = [
            "engineer", "developer", "dev", "operator", "oncall", "oncaller", "sre", "admin", "administrator",
            "sysadmin", "dba", "reviewer", "manager", "team", "contractor", "intern", "author", "approver",
            "responder", "person", "human", "employee", "colleague", "teammate", "member",
            "commander", "owner", "maintainer", "coworker", "analyst", "architect", "programmer", "coder",
            "tester", "deployer", "committer", "assignee", "technician", "specialist", "expert", "newcomer",
            "newbie", "hire", "staffer", "consultant", "pilot", "moderator", "requester", "individual",
            "lead", "agent", "squad", "crew", "folk", "guy", "sme",
        ]
        var set = Set(singular)
        for word in singular { set.insert(word + "s") }
        set.formUnion([
            "people", "staff", "folks", "ops", "qa", "everyone", "personnel", "humans", "sres", "dbas", "leadership",
            "management", "engineering",
        ])
        return set
    }()

    /// Role nouns that are people only with a qualifying word before them
    /// ("support agent" vs "monitoring agent", "team lead" vs "a lead on the bug").
    static let qualifiedRoles: [String: Set<String>] = [
        "agent": ["support", "customer", "service", "help", "helpdesk"],
        "agents": ["support", "customer", "service", "help", "helpdesk"],
        "lead": ["team", "tech", "release", "engineering", "project", "incident", "shift", "squad"],
        "leads": ["team", "tech", "release", "engineering", "project", "incident", "shift", "squad"],
    ]

    /// Common first names, used only when capitalised and directly in subject position.
    /// Words that are also everyday English or tech terms ("Will", "Mark", "Jenkins", "Max") are left out.
    static let firstNames: Set<String> = Set([
        "sam", "alex", "chris", "jordan", "taylor", "morgan", "casey", "jamie", "riley", "avery",
        "priya", "raj", "arjun", "ananya", "wei", "li", "mei", "hiro", "yuki", "kenji", "mohammed", "ahmed",
        "fatima", "omar", "aisha", "ali", "ivan", "olga", "dmitri", "anna", "maria", "jose", "carlos",
        "lucia", "sofia", "diego", "juan", "pedro", "john", "james", "robert", "michael", "david", "daniel",
        "matthew", "andrew", "joshua", "ryan", "kevin", "brian", "eric", "steven", "thomas", "paul",
        "peter", "george", "edward", "richard", "joseph", "charles", "tim", "tom", "dan", "dave", "mike",
        "jim", "joe", "ben", "nick", "greg", "jeff", "jen", "jenny", "jessica", "sarah", "emily", "emma",
        "olivia", "laura", "rachel", "rebecca", "hannah", "lisa", "karen", "susan", "linda", "nancy",
        "elizabeth", "mary", "julia", "kate", "katie", "amy", "megan", "nicole", "lauren", "ashley",
        "stephanie", "michelle", "melissa", "claire", "chloe", "zoe", "lena", "nina", "sara", "leo",
        "noah", "liam", "ethan", "lucas", "oliver", "elena", "marco", "luca", "giulia", "hans", "klaus",
        "anja", "lars", "sven", "ingrid", "kofi", "amara", "chen",
        "tariq", "nadia", "yusuf", "zara", "kwame", "ngozi", "tunde", "anil", "sanjay", "deepa", "kavya",
        "rohan", "vikram", "meera", "neha", "pooja", "ravi", "suresh", "aditya", "sean", "liz", "beth",
        "alice", "bob", "kim", "lee", "jess", "sasha", "nikita", "andrea",
    ])

    /// Words that start or mark a determiner phrase; a backward noun-phrase walk stops on them (inclusive).
    static let determiners: Set<String> = Set([
        "the", "a", "an", "our", "their", "his", "her", "my", "your", "its", "this", "that", "these",
        "those", "every", "each", "some", "any", "no", "another", "whose", "one",
    ])

    /// Prepositions that attach a phrase to a noun ("the owner of the service", "the engineer on call").
    static let prepositions: Set<String> = Set([
        "of", "on", "in", "at", "from", "for", "with", "within", "without", "behind", "by", "under", "over",
        "inside", "outside", "into", "onto", "during", "after", "before", "about", "across", "between",
        "among", "through", "via", "per", "to", "than", "like", "near", "against", "around", "toward",
        "towards", "upon", "beside",
    ])

    /// Heads that take an "of" phrase as their real referent ("one of the engineers", "none of us").
    static let quantifiers: Set<String> = Set([
        "one", "some", "none", "each", "any", "all", "most", "many", "few", "several", "both", "either",
        "neither", "two", "three", "four", "half", "either", "members", "member", "rest",
    ])

    /// Words ending in "-ly" that are not adverbs: they can head or close a subject ("the nightly job").
    static let mannerAdverbLookalikes: Set<String> = Set([
        "supply", "family", "assembly", "reply", "anomaly", "rally", "italy", "belly", "nightly", "weekly",
        "monthly", "hourly", "daily", "yearly", "quarterly", "friendly", "costly", "early", "likely", "only",
        "holly", "emily", "kelly", "sally", "molly", "polly", "shelly", "beverly", "kimberly", "ashley",
        "stanley", "bradley", "wesley", "dudley", "lily", "apply", "multiply", "poly", "monopoly", "butterfly",
        "jelly", "ugly", "silly", "lonely", "lovely", "elderly", "orderly", "burly", "curly", "july",
    ])

    /// Past-tense verbs of people, rarely of tools or vendors: after an unlisted capitalised word opening a
    /// clause they make it a given name ("Audun looked for the packages").
    static let peopleOnlyVerbs: Set<String> = Set([
        "looked", "evaluated", "decided", "asked", "phoned", "emailed", "messaged", "pinged", "realised", "realized",
        "suggested", "agreed", "joined", "contacted", "investigated", "discussed", "thought", "assumed",
        "wondered", "noticed", "volunteered", "explained", "replied",
    ])

    /// Word endings of common nouns, plurals and product names, never of the given names the lexicon lacks.
    static let productSuffixes: [String] = [
        "ing", "tion", "sion", "sis", "ment", "ness", "ity", "ance", "ence", "ics", "ure", "ogy", "s", "bot", "form",
        "flare", "dog", "hub", "lab", "base", "kit", "ops", "net", "soft", "ware", "cloud", "mail", "desk", "sql",
        "db", "stack", "cast", "deck", "flow", "point", "ify", "ly", "duty", "genie", "page", "ctl", "io", "js",
        "ql", "fs", "mq", "ate",
    ]

    /// Tools, vendors and platforms of postmortem prose with a given name's shape.
    static let productNames: Set<String> = Set([
        "vault", "consul", "nomad", "packer", "terraform", "ansible", "puppet", "chef", "salt", "jenkins", "travis",
        "drone", "bamboo", "harbor", "nexus", "sentry", "grafana", "kibana", "loki", "tempo", "thanos", "jaeger",
        "zipkin", "splunk", "sumo", "jira", "confluence", "slack", "zoom", "teams", "discord", "notion", "trello",
        "asana", "linear", "zendesk", "intercom", "github", "gitlab", "azure", "google", "amazon", "microsoft",
        "heroku", "netlify", "vercel", "fastly", "akamai", "okta", "stripe", "twilio", "postgres", "mysql", "mongo",
        "redis", "kafka", "elastic", "istio", "linkerd", "envoy", "nginx", "haproxy", "traefik", "helm", "argo",
        "flux", "spinnaker", "tekton", "velero", "rancher", "celery", "sidekiq", "airflow", "dagster", "prefect",
        "spark", "flink", "hadoop", "hive", "presto", "trino", "snowflake", "bigquery", "redshift", "looker",
        "tableau", "metabase", "superset", "cassandra", "scylla", "etcd", "zookeeper", "minio", "ceph", "rook",
        "calico", "cilium", "flannel", "weave", "kubernetes", "docker", "lambda", "fargate", "honeycomb", "rollbar",
        "bugsnag", "pingdom", "checkly", "npm", "yarn", "maven", "gradle", "cargo", "composer", "node", "deno",
        "python", "java", "ruby", "rust", "golang", "windows", "linux", "ubuntu", "debian", "centos", "alpine",
        "chrome", "firefox", "safari", "edge", "android", "apple", "facebook", "twitter", "outlook", "gmail",
        "office", "shopify", "magento", "wordpress", "drupal", "django", "rails", "laravel", "spring", "express",
        "gatsby", "hugo", "jekyll", "angular", "react", "svelte", "ember", "webpack", "babel", "vite", "eslint",
        "prettier", "jest", "mocha", "cypress", "playwright", "selenium", "puppeteer", "postman", "swagger",
        "crossplane", "karpenter", "renovate", "snyk", "trivy", "clair", "opsgenie", "pagerduty", "datadog",
        "cloudflare", "prometheus", "alertmanager", "graphite", "statsd", "fluentd", "logstash", "vector", "beats",
        "keycloak", "auth", "cognito", "firebase", "supabase", "sendgrid", "mailgun", "mailchimp", "segment",
        "mixpanel", "amplitude", "hotjar", "optimizely", "launchdarkly", "unleash", "flagsmith", "backstage",
    ])

    /// Adverbs and pronouns that open a timeline row with an elided subject ("Also looked at the CDN").
    static let sentenceAdverbs: Set<String> = Set([
        "somehow", "here", "there", "again", "never", "also", "soon", "still", "just", "only", "even", "instead",
        "otherwise", "anyway", "nothing", "everything", "something", "anything", "nowhere", "quickly", "shortly",
        "thereafter", "afterward", "subsequently", "briefly", "further", "additionally", "similarly", "hence",
        "thus", "therefore", "meanwhile", "simultaneously", "immediately", "apparently", "seemingly", "clearly",
        "obviously", "mostly", "partly", "roughly", "almost", "nearly", "barely", "hardly", "rather", "quite",
        "yesterday", "today", "tonight", "tomorrow", "overnight", "earlier", "sooner", "once", "twice",
    ])

    /// Capitalised group and department names that open sentences like a given name would.
    static let groupNames: Set<String> = Set([
        "management", "engineering", "support", "security", "legal", "finance", "product", "sales", "marketing",
        "leadership", "ops", "operations", "infra", "infrastructure", "platform", "networking", "compliance",
        "everyone", "nobody", "somebody", "someone", "anyone", "none", "both", "either", "neither", "each", "all",
        "many", "several", "few", "most", "others", "another", "one", "two", "three", "together", "later", "then",
        "finally", "eventually", "first", "next", "initially", "afterwards", "meanwhile", "somebody", "staff",
        "oncall", "dev", "devops", "sre", "qa", "hr", "it", "customer", "customers", "vendor", "partner",
    ])

    /// Adverbs and fillers that may sit between a subject and its verb or modal.
    static let interveningAdverbs: Set<String> = Set([
        "also", "really", "actually", "probably", "definitely", "certainly", "clearly", "obviously",
        "simply", "just", "then", "still", "perhaps", "maybe", "arguably", "likely", "surely", "all",
        "both", "each", "themselves", "himself", "herself", "ourselves", "myself", "yourself", "alone",
        "too", "originally", "initially", "ultimately", "therefore", "thus", "accidentally", "mistakenly",
        "inadvertently", "unknowingly", "unintentionally", "carelessly", "manually", "immediately",
        "quickly", "later", "subsequently", "again", "first", "previously", "already", "had", "has",
        "have", "never", "not", "merely", "only", "apparently", "evidently", "reportedly", "instead",
        "personally", "directly", "eventually", "soon", "briefly", "hastily", "wrongly", "incorrectly",
        "erroneously", "blindly", "knowingly", "deliberately", "intentionally", "unfortunately",
        "now", "once", "ever", "always", "sometimes", "often", "usually",
    ])

    /// Degree adverbs before a predicate adjective ("completely oblivious", "so obvious").
    static let degreeAdverbs: Set<String> = Set([
        "so", "very", "quite", "completely", "totally", "entirely", "utterly", "fairly", "pretty", "rather",
        "extremely", "incredibly", "really", "too", "somewhat", "downright", "plainly", "simply", "just",
        "painfully", "blindingly", "glaringly", "immediately", "now", "perfectly", "being", "always", "often",
    ])

    /// Subordinators and clause boundaries for the backward subject walk.
    static let coordinators: Set<String> = ["and", "but", "or", "yet", "so", "nor"]

    static let clauseStarters: Set<String> = Set([
        "because", "since", "although", "though", "while", "whereas", "when", "whenever", "if", "unless",
        "until", "once", "after", "before", "as", "so", "that", "which", "who", "where", "and", "but",
        "or", "yet", "however", "then",
    ])

    /// Auxiliaries, copulas and modals: never part of a noun phrase.
    static let auxiliaries: Set<String> = Set([
        "is", "was", "were", "are", "am", "be", "been", "being", "has", "had", "have", "do", "does", "did",
        "will", "would", "should", "could", "can", "may", "might", "must", "shall", "'s", "'d", "not",
        "ought", "got", "gets", "get", "seemed", "seems", "looked", "looks", "became", "become", "remained",
    ])

    static let copulas: Set<String> = Set([
        "is", "was", "were", "are", "am", "be", "been", "being", "'s", "seemed", "seems", "looked", "looks",
        "became", "becomes", "become", "remained", "remains", "appeared", "appears", "felt", "feels",
    ])

    /// Common verbs (mostly past tense) that end a noun phrase in a forward or coordination scan.
    static let commonVerbs: Set<String> = Set([
        "ran", "read", "saw", "sent", "took", "went", "got", "made", "put", "set", "left", "kept", "found",
        "broke", "wrote", "began", "came", "knew", "thought", "told", "gave", "did", "was", "were", "had",
        "is", "are", "has", "forgot", "missed", "ignored", "overlooked", "skipped", "pushed", "deleted",
        "dropped", "typed", "deployed", "merged", "approved", "restarted", "rebooted", "removed", "changed",
        "ran", "chose", "decided", "failed", "neglected", "noticed", "checked", "paged", "acknowledged",
        "opened", "closed", "rolled", "started", "stopped", "said", "asked", "used", "tried", "wanted",
        "needed", "could", "would", "should", "can", "will", "may", "might", "must", "misread",
        "misconfigured", "mistyped", "executed", "applied", "disabled", "enabled", "shipped", "released",
        "edited", "entered", "clicked", "truncated", "overwrote", "overrode", "committed", "introduced",
        "modified", "escalated", "responded", "joined", "declared", "confirmed", "believed", "assumed",
        "reverted", "restored", "saw", "watched", "looked", "seemed", "became", "runs", "sends", "reads",
    ])

    /// Participles that, in "should (not) have been …", judge the people who decided:
    /// "should not have been rushed", "should have been escalated" stays a system expectation.
    static let judgedPassives: Set<String> = [
        "rushed", "ignored", "dismissed", "neglected", "overlooked", "skipped", "forgotten", "approved", "merged",
        "shipped", "pushed", "hurried", "bypassed", "disregarded",
    ]

    /// Standards and signals people are measured against: "the procedure was not followed".
    static let standardNouns: Set<String> = [
        "procedure", "procedures", "process", "processes", "runbook", "runbooks", "playbook", "playbooks",
        "checklist", "checklists", "step", "steps", "guideline", "guidelines", "policy", "policies", "protocol",
        "instructions", "documentation", "alert", "alerts", "warning", "warnings", "page", "pages", "advice",
        "recommendation", "recommendations", "rule", "rules", "convention", "conventions",
    ]

    /// Present-tense verbs of an actor in a timeline or a report: "Sam restarts the pod", "Jan mentions".
    static let presentActionVerbs: Set<String> = [
        "mentions", "says", "notes", "asks", "reports", "restarts", "deploys", "runs", "pushes", "merges",
        "confirms", "suggests", "starts", "creates", "decides", "notices", "declares", "pages", "escalates",
        "joins", "reverts", "rolls", "deletes", "drops", "applies", "approves", "opens", "closes", "finds",
        "sees", "checks", "investigates", "identifies", "proposes", "writes", "sends", "posts", "updates",
        "removes", "disables", "enables", "changes", "fixes", "triggers", "executes", "kills", "reboots",
        "informs", "notifies", "discovers", "realises", "realizes", "tries", "takes", "makes", "goes", "gets",
    ]

    /// Irregular past participles; regular ones end in "-ed".
    static let irregularParticiples: Set<String> = Set([
        "been", "done", "known", "seen", "gone", "run", "taken", "read", "set", "put", "written", "made",
        "built", "caught", "sent", "left", "kept", "found", "given", "thought", "brought", "got", "gotten",
        "told", "hit", "let", "paid", "said", "heard", "held", "felt", "understood", "spoken", "chosen",
        "begun", "broken", "driven", "fallen", "forgotten", "flown", "grown", "hidden", "risen", "shaken",
        "shown", "stolen", "struck", "thrown", "woken", "worn", "won", "become", "come", "cut", "shut",
        "spent", "stood", "taught", "meant", "lost", "led", "dealt", "fed", "fought", "bought", "sought",
        "slept", "split", "spread", "shed", "quit", "rerun", "undone", "redone", "overridden", "rewritten",
        "withdrawn", "drawn", "blown", "pushed", "ran", "took", "saw", "went", "did", "knew", "gave",
        "wrote", "broke", "forgot", "spun", "swung", "dug", "stuck", "hung", "shot", "sat", "sold", "sung",
        "begun", "misread", "mistaken", "overseen", "upset", "reset", "rebuilt", "resent", "rewound",
    ])

    /// Outcome participles after "could have": "we could have lost data" states a risk, not a missed action.
    static let outcomeParticiples: Set<String> = Set([
        "lost", "corrupted", "caused", "broken", "damaged", "leaked", "exposed", "impacted", "affected",
        "gone", "led", "resulted", "happened", "spread", "cascaded", "taken", "destroyed", "wiped",
        "triggered", "hurt", "harmed", "cost", "failed", "crashed", "died",
    ])

    /// Adverbs that may sit between "have" and the participle.
    static let participleAdverbs: Set<String> = Set([
        "just", "also", "really", "actually", "probably", "definitely", "certainly", "simply", "first",
        "immediately", "instead", "then", "already", "earlier", "easily", "quickly", "sooner", "at",
        "least", "merely", "only", "never", "not", "better", "properly", "manually", "always", "done",
    ])

    /// What "could have been" may be followed by when it judges a person ("could have been more careful").
    static let personalComparatives: Set<String> = Set([
        "more", "less", "better", "careful", "attentive", "vigilant", "thorough", "quicker", "faster",
        "smarter", "aware", "diligent", "proactive",
    ])

    /// Nouns for signals and displays: "the graph clearly showed a step" describes evidence, not hindsight.
    static let signalNouns: Set<String> = {
        let singular = [
            "graph", "dashboard", "chart", "log", "metric", "panel", "alert", "trace", "output", "page",
            "screen", "console", "ui", "banner", "message", "error", "warning", "diff", "plot", "histogram",
            "heatmap", "spike", "step", "drop", "jump", "signal", "pattern", "change", "line", "curve",
            "trend", "correlation", "label", "indicator", "status", "view", "report", "summary", "table",
            "timeline", "difference", "gap", "increase", "decrease", "cliff", "plateau", "sawtooth", "span",
            "flame", "profile", "notification", "toast", "dialog", "prompt", "stacktrace", "backtrace",
            "counter", "gauge", "annotation", "readout", "screenshot", "record", "entry", "event",
        ]
        var set = Set(singular)
        for word in singular { set.insert(word + "s") }
        set.formUnion(["data", "logging", "telemetry", "monitoring", "evidence", "trace", "graphs"])
        // Metrics: "the error rate was clearly elevated" describes a reading.
        let metrics = [
            "rate", "latency", "throughput", "usage", "load", "count", "traffic", "cpu", "memory", "utilization",
            "utilisation", "depth", "lag", "saturation", "level", "percentile", "p50", "p95", "p99", "ratio",
            "volume", "backlog", "size", "temperature", "errors", "timeouts", "retries", "requests",
        ]
        for word in metrics { set.insert(word); set.insert(word + "s") }
        return set
    }()

    /// Words after "clearly"/"obviously" that describe how something is shown, not a judgement.
    static let displayWords: Set<String> = {
        let stems = [
            "visible", "legible", "readable", "distinct", "distinguishable", "separate", "separated",
            "labelled", "labeled", "label", "labels", "labelling", "labeling", "marked", "mark", "marks",
            "documented", "document", "documents", "documenting", "defined", "define", "defines",
            "stated", "state", "states", "specified", "specify", "specifies", "written", "write",
            "writes", "identified", "identify", "identifies", "named", "explained", "explain", "explains",
            "described", "describe", "describes", "communicated", "communicate", "communicates",
            "delineated", "delineate", "scoped", "scope", "displayed", "display", "displays", "shown",
            "show", "shows", "indicated", "indicate", "indicates", "flagged", "flag", "flags",
            "highlighted", "highlight", "highlights", "signposted", "signpost", "surfaced", "surface",
            "outlined", "outline", "outlines", "annotated", "annotate", "presented", "present", "listed",
            "list", "articulated", "articulate", "formatted", "worded", "structured", "colour", "color",
            "coloured", "colored", "audible", "separates", "distinguish", "distinguishes", "distinguished",
            "owned", "assigned", "recorded", "record", "logged", "reproducible", "reproduce", "ordered",
            "order", "sequenced", "numbered", "organised", "organized", "grouped", "titled", "headed", "laid",
            "arranged", "signed", "signposted", "tagged", "attributed", "versioned", "linked", "referenced",
        ]
        return Set(stems)
    }()

    /// Verbs after which "clearly" is a manner adverb ("explain clearly", "see clearly").
    static let mannerVerbs: Set<String> = Set([
        "explain", "explained", "explains", "state", "stated", "states", "write", "wrote", "written",
        "document", "documented", "documents", "communicate", "communicated", "communicates", "label",
        "labelled", "labeled", "mark", "marked", "show", "showed", "shows", "shown", "display", "displayed",
        "displays", "see", "saw", "seen", "say", "said", "speak", "spoke", "describe", "described",
        "define", "defined", "indicate", "indicated", "think", "read", "hear", "heard", "articulate",
        "articulated", "specify", "specified", "identify", "identified", "separate", "separated", "visible",
        "explaining", "stating", "writing", "documenting", "communicating", "labelling", "labeling",
        "showing", "displaying", "describing", "defining", "indicating", "thinking", "reads", "more",
        "most", "less", "as", "how", "very", "so", "too", "not",
    ])

    /// Negation and mention cues: "nobody was careless", "rather than blaming human error".
    static let negators: Set<String> = Set([
        "not", "never", "no", "nobody", "noone", "none", "neither", "nor", "rather", "instead", "without",
        "avoid", "avoided", "avoiding", "avoids", "blaming", "than", "hardly",
    ])

    /// Negators whose scope reaches a few words further: "not because people are careless".
    static let strongNegators: Set<String> = ["not", "never", "no", "nobody", "noone", "none", "neither", "nor"]

    /// Cues that "human error" is discussed as a risk to design against, not named as the cause.
    static let riskCues: Set<String> = Set([
        "chance", "chances", "risk", "risks", "possibility", "possibilities", "likelihood", "potential",
        "room", "prone", "reduce", "reduces", "reduced", "reducing", "eliminate", "eliminates",
        "eliminated", "eliminating", "prevent", "prevents", "preventing", "minimise", "minimize",
        "minimises", "minimizes", "minimising", "minimizing", "remove", "removes", "removing", "against",
        "resistant", "tolerate", "tolerates", "tolerant", "beyond", "mitigate", "mitigates", "catch",
        "catches", "absorb", "absorbs", "survive", "survives", "forgiving", "expect", "expects", "expected",
        "inevitable", "designing", "design", "guard", "guards", "despite", "label",
        "labelled", "labeled", "call", "called", "calling", "term", "phrase", "words", "stop", "stopping",
    ])

    /// Words after "user error"/"human error" that show a metric or UI string, not a cause.
    static let errorMetricFollowers: Set<String> = Set([
        "rate", "rates", "count", "counts", "ratio", "budget", "budgets", "spike", "spikes", "page", "pages",
        "message", "messages", "code", "codes", "response", "responses", "metric", "metrics", "log", "logs",
        "dashboard", "percentage", "graph", "alert", "alerts", "increased", "increase", "spiked", "rose",
        "climbed", "dropped", "fell", "jumped", "doubled", "peaked", "surged", "panel", "banner", "string",
        "strings", "type", "types", "class", "classes", "handling", "handler", "toast", "dialog", "text",
        "category", "bucket", "field", "reporting",
    ])

    /// Words before "user error(s)" that show errors shown to users, not blamed on them.
    static let errorShownPreceders: Set<String> = Set([
        "returned", "returning", "returns", "return", "served", "serving", "serves", "showed", "shown",
        "shows", "saw", "seeing", "see", "surfaced", "displayed", "displaying", "more", "fewer", "of",
        "elevated", "increased", "spike", "spiking", "got", "getting", "received", "receiving", "visible",
        "facing", "reported", "and",
    ])

    /// Technical nouns after "lazy": lazy evaluation, lazy loading, lazy initialisation.
    static let lazyTechnical: Set<String> = Set([
        "evaluation", "evaluated", "evaluate", "evaluates", "loading", "load", "loaded", "loader", "loads",
        "init", "initialization", "initialisation", "initialize", "initialise", "initialized", "initialised",
        "instantiation", "instantiated", "iterator", "iterators", "sequence", "sequences", "val", "var",
        "property", "properties", "import", "imports", "fetch", "fetching", "fetched", "hydration",
        "list", "lists", "stream", "streams", "collection", "collections", "seq", "mode", "binding",
        "bindings", "allocation", "deletion", "expiry", "expiration", "rendering", "render", "rendered",
        "compilation", "module", "modules", "static", "singleton", "value", "values", "variable",
        "variables", "approach", "strategy", "pattern", "migration", "migrations", "replication", "sync",
        "syncing", "cache", "caching", "queue", "consumer", "consumers", "computation", "computed",
        "attribute", "attributes", "field", "fields", "route", "routes", "component", "components",
        "image", "images", "mount", "mounting", "parsing", "parse", "parser", "connection", "connections",
        "propagation", "sweep", "sweeping", "resolution", "release", "freeing", "cleanup", "purge",
        "expire", "deserialization", "deserialisation", "decoding", "writer", "writes", "garbage",
    ])

    /// Technical nouns after "dumb": dumb terminal, dumb pipe, dumb client.
    static let dumbTechnical: Set<String> = Set([
        "terminal", "terminals", "pipe", "pipes", "client", "clients", "proxy", "proxies", "switch",
        "switches", "device", "devices", "phone", "phones", "box", "boxes", "hub", "hubs", "agent",
        "agents", "node", "nodes", "endpoint", "endpoints", "server", "servers", "storage", "cache",
        "caches", "down", "downed", "mode", "tty", "display", "displays", "forwarder", "forwarders",
        "relay", "relays", "router", "routers", "component", "components", "sensor", "sensors", "bucket",
        "buckets", "worker", "workers", "queue", "queues", "load", "balancer", "frontend", "frontends",
        "ui", "view", "views", "template", "templates", "struct", "structs", "object", "objects",
    ])

    /// Base-form verbs a minimiser belittles: "just restart", "simply roll back".
    static let minimisedVerbs: [String] = [
        "restart", "reboot", "rerun", "retry", "run", "roll", "revert", "rollback", "check", "look", "read",
        "ask", "wait", "click", "flip", "toggle", "follow", "use", "add", "fix", "delete", "remove", "bump",
        "scale", "kill", "clear", "flush", "update", "increase", "disable", "enable", "turn", "reset",
        "apply", "merge", "grep", "google", "search", "ping", "redeploy", "deploy", "push", "patch",
        "rotate", "renew", "raise", "lower", "drain", "fail", "promote", "refresh", "reload", "purge",
        "truncate", "edit", "change", "set", "tweak", "switch", "type", "paste", "rename", "upgrade",
        "downgrade", "pin", "unpin", "skip", "evict", "cordon", "uncordon", "page", "escalate", "notice",
        "spot", "watch", "test", "verify", "double", "glance", "open", "scroll", "pay", "remember",
        "recreate", "rebuild", "re", "bounce", "cycle", "stop", "start", "rollout",
    ]

    /// Personal-state words for "because <person> was <state>".
    static let personalStates: Set<String> = Set([
        "tired", "new", "distracted", "unaware", "busy", "unfamiliar", "inexperienced", "rushing", "rushed",
        "careless", "sloppy", "lazy", "asleep", "sleepy", "exhausted", "overloaded", "confused", "mistaken",
        "wrong", "negligent", "inattentive", "absent", "away", "late", "offline", "unavailable", "junior",
        "untrained", "impatient", "hasty", "overconfident", "complacent", "not", "careful",
    ])
}
