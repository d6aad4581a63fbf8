import Foundation
import Report
import Tracker

/// The JSON API under `/api/` (docs/serve.md): every answer is read from the database through
/// Tracker's typed queries and Report's ``SweepLeaderboard``; nothing is written.
struct API {
    let database: LiveDatabase
    /// The `/api/events` feed, reported by `/api/status`.
    var feed: LiveFeed? = nil

    /// Answers `GET /api/...` (`segments` after `api`).
    /// - Throws: ``Refusal`` (400, 404), ``DatabaseGoneError`` (503), or a store error (500).
    func respond(_ segments: [String], _ query: QueryParameters) throws -> Reply {
        switch segments.count {
        case 1 where segments[0] == "status":
            try query.allowOnly([])
            var members: [(String, JSONValue)] = [("database", database.currentState.json(path: database.path))]
            if let feed {
                members.append(("events", .object([("latest_id", .integer(feed.events(after: nil).last?.id ?? 0)),
                                                   ("snapshots", .integer(feed.tickCount))])))
            }
            return .json(.object(members))
        case 1 where segments[0] == "sweeps":
            try query.allowOnly([])
            return .json(try sweeps())
        case 3 where segments[0] == "sweeps" && segments[2] == "leaderboard":
            try query.allowOnly(["metric", "top"])
            let shared = try database.leaderboard(segments[1], metric: try query.metric(),
                                                  top: try query.integer("top", in: 1...10_000, default: 10))
            var reply = Reply.json(LeaderboardJSON.encode(shared.board))
            reply.readAt = shared.reusedFrom
            return reply
        case 2 where segments[0] == "runs":
            try query.allowOnly([])
            return try run(try Self.runID(segments[1]))
        case 3 where segments[0] == "runs" && segments[2] == "weights":
            try query.allowOnly(["kind"])
            return try weights(try Self.runID(segments[1]), kind: try query.choice("kind", ["final", "best"], default: "final"))
        case 1 where segments[0] == "compare":
            try query.allowOnly(["runs"])
            return .json(try compare(try query.runIDs("runs", count: 2...20)))
        default:
            throw Refusal.notFound("no such API path: /api/\(segments.joined(separator: "/"))")
        }
    }

    static func runID(_ text: String) throws -> Int64 {
        guard let id = QueryParameters.runID(text) else { throw Refusal.notFound("no run '\(text)': a run id is a positive whole number, without a sign or leading zeros") }
        return id
    }

    /// Every sweep with its runs by status (every status, zero included) and its progress.
    func sweeps() throws -> JSONValue {
        let list = try database.read(Self.sweepSummaries)
        return .object([
            ("database", database.currentState.json(path: database.path)),
            ("statuses", .array(RunStatus.allCases.map { .string($0.rawValue) })),
            ("sweeps", .array(list)),
        ])
    }

    /// The data of one `/api/events` event: the database's state and every sweep's summary, as
    /// one line of JSON; `sweeps` is empty while the database cannot be read.
    func feedSnapshot() -> String {
        let list = (try? database.read(Self.sweepSummaries)) ?? []
        let value = JSONValue.object([("database", database.currentState.json(path: database.path)), ("sweeps", .array(list))])
        return (try? value.encoded()).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func sweepSummaries(_ store: RunStore) throws -> [JSONValue] {
        try store.sweepNames().compactMap { name -> JSONValue? in
            guard let overview = try store.sweepOverview(named: name) else { return nil }
            return sweepSummary(overview, counts: try store.statusCounts(sweepID: overview.sweepID))
        }
    }

    static func sweepSummary(_ overview: SweepOverview, counts: [RunStatus: Int]) -> JSONValue {
        let total = counts.values.reduce(0, +)
        let open = (counts[.queued] ?? 0) + (counts[.running] ?? 0)
        return .object([
            ("name", .string(overview.name)),
            ("dataset", .object([("name", .string(overview.datasetName)), ("version", .integer(overview.datasetVersion))])),
            ("created_at", .text(overview.createdAt)),
            ("protocol", JSONValue.parsing(overview.protocolJSON) ?? .string(overview.protocolJSON)),
            ("runs", .integer(total)),
            ("status_counts", .object(RunStatus.allCases.map { ($0.rawValue, .integer(counts[$0] ?? 0)) })),
            ("done", .integer(total - open)),
            ("progress", total == 0 ? .null : .number(Double(total - open) / Double(total))),
        ])
    }

    /// One run: its `run_summary` row, configuration, learning curve and test confusion matrix;
    /// kept while the run's stored rows are unchanged (``LiveDatabase/stillCurrent(_:id:)``).
    func run(_ id: Int64) throws -> Reply {
        let (detail, confusion, kinds) = try database.read { store in
            (try store.runDetail(id: id), try store.testConfusion(runID: id), try store.storedWeightKinds(runID: id))
        }
        guard let detail else { throw Refusal.notFound("no run \(id) in the database") }
        let config = detail.summary.first { $0.name == "config" }?.value.string
        var reply = Reply.json(.object([
            ("run_id", .int(id)),
            ("summary", .object(detail.summary.filter { $0.name != "config" }.map { ($0.name, .sql($0.value)) })),
            ("config", config.flatMap(JSONValue.parsing) ?? .null),
            ("curve", .array(detail.curve.map(Self.epoch))),
            ("confusion", .object([
                ("class_names", .array((confusion?.classNames ?? []).map(JSONValue.string))),
                ("counts", confusion?.counts.map { .array($0.map { .array($0.map { .integer($0) }) }) } ?? .null),
            ])),
            ("weights", .object(["final", "best"].filter(kinds.contains).map { ($0, .string("/api/runs/\(id)/weights?kind=\($0)")) })),
        ]))
        reply.stillCurrent = database.stillCurrent(detail, id: id)
        return reply
    }

    static func epoch(_ row: EpochRow) -> JSONValue {
        .object([
            ("epoch", .integer(row.epoch)), ("train_loss", .real(row.trainLoss)), ("train_accuracy", .real(row.trainAccuracy)),
            ("validation_loss", .real(row.validationLoss)), ("validation_accuracy", .real(row.validationAccuracy)),
            ("learning_rate", .real(row.learningRate)), ("elapsed_seconds", .real(row.elapsedSeconds)),
        ])
    }

    /// A run's stored weights as a safetensors file (docs/model.md).
    func weights(_ id: Int64, kind: String) throws -> Reply {
        let bytes = try database.read { store -> Data? in
            guard try store.runStatus(id: id) != nil else { throw Refusal.notFound("no run \(id) in the database") }
            do { return try store.weights(runID: id, kind: kind) } catch TrackerError.notFound { return nil }
        }
        guard let bytes else { throw Refusal.notFound("run \(id) has no \(kind) weights (it has not finished)") }
        return Reply(status: 200, contentType: "application/octet-stream", body: bytes,
                     headers: [("Content-Disposition", "attachment; filename=\"run-\(id)-\(kind).safetensors\"")])
    }

    /// Runs side by side, as `exp compare` shows them (``RunComparison``).
    func compare(_ ids: [Int64]) throws -> JSONValue {
        let details = try database.read { store in
            try ids.map { id -> RunDetail in
                guard let detail = try store.runDetail(id: id) else { throw Refusal.notFound("no run \(id) in the database") }
                return detail
            }
        }
        let comparison = RunComparison(details: details)
        func rows(_ rows: [RunComparison.Row]) -> JSONValue {
            .array(rows.map { .object([("name", .string($0.name)), ("values", .array($0.values.map(JSONValue.sql))),
                                       ("differs", .bool($0.differs))]) })
        }
        return .object([
            ("runs", .array(comparison.runIDs.map { .int($0) })),
            ("hyperparameters", rows(comparison.hyperparameters)),
            ("metrics", rows(comparison.metrics)),
            ("curves", .array(comparison.curves.map { .array($0.map(Self.epoch)) })),
        ])
    }
}

extension DatabaseState {
    func json(path: String) -> JSONValue {
        .object([("path", .string(path)), ("state", .string(condition.rawValue)), ("message", .text(message)),
                 ("since", .text(since))])
    }
}
