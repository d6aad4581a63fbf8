import Foundation
import Testing
import TestSupport

/// `exp tag` and `exp note` on runs and sweeps, and the tags and notes in `exp show`,
/// `exp runs` and `exp merge`, run as a user runs them.
@Suite struct TagAndNoteTests {
    /// A sweep `lr` of 4 Iris runs (2 learning rates x 2 layouts, seed 1).
    func sweptFolder() throws -> URL {
        try sweptIrisFolder(name: "lr", seeds: [1], grid: #"{"epochs": [5], "hidden_layers": [[3], [6]], "learning_rate": [0.05, 0.5]}"#)
    }

    func ok(_ arguments: [String], in dir: URL) throws -> String {
        let result = try exp(arguments, in: dir)
        try #require(result.status == 0, "exp \(arguments): \(result.stderr)")
        return result.stdout
    }

    func records(_ arguments: [String], in dir: URL) throws -> [[String: Any]] {
        let out = try ok(["runs", "--json"] + arguments, in: dir)
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
    }

    @Test func tagsAreSetListedAndDeletedOnRunsAndSweeps() throws {
        let dir = try sweptFolder()
        #expect(try ok(["tag", "1", "reviewed=yes", "owner=ana"], in: dir) == "run 1: set reviewed=yes, owner=ana\n")
        #expect(try ok(["tag", "1"], in: dir) == "owner=ana\nreviewed=yes\n")
        #expect(try ok(["tag", "--sweep", "lr", "stage=baseline", "url=http://x/y?a=b"], in: dir).hasPrefix("sweep 'lr': set"))
        #expect(try ok(["tag", "--sweep", "lr"], in: dir) == "stage=baseline\nurl=http://x/y?a=b\n")
        #expect(try ok(["tag", "2"], in: dir) == "")  // sweep tags are not run tags
        #expect(try ok(["tag", "1", "--delete", "owner", "reviewed=again"], in: dir) == "run 1: set reviewed=again\nrun 1: deleted owner\n")
        #expect(try ok(["tag", "1"], in: dir) == "reviewed=again\n")
    }

    @Test func badTagsAndUnknownTargetsAreOneLineErrorsThatStoreNothing() throws {
        let dir = try sweptFolder()
        _ = try ok(["tag", "1", "reviewed=yes"], in: dir)
        let cases: [([String], String)] = [
            (["tag", "1", "bad key=1"], "exp: tag key 'bad key' is not valid: a key has only letters, digits and _ . - /\n"),
            (["tag", "1", "-x=1"], ""),
            (["tag", "1", "a=1", "novalue"], "exp: 'novalue': expected key=value\n"),
            (["tag", "1", "--delete", "owner"], "exp: run 1 has no tag 'owner'\n"),
            (["tag", "1", "a=1", "--delete", "a"], "exp: tag 'a' is both set and deleted\n"),
            (["tag", "99", "a=1"], "exp: no run 99 in the database\n"),
            (["tag", "--sweep", "nosuch", "a=1"], "exp: no sweep 'nosuch' in the database\n"),
            (["tag", "a=1"], "exp: name a run id (exp runs lists them) or --sweep NAME; 'a=1' is no run id\n"),
            (["note", "1", " "], "exp: the note is blank; to remove a note use --delete\n"),
            (["note", "1", "--delete"], "exp: run 1 has no note\n"),
            (["note", "--sweep", "nosuch", "text"], "exp: no sweep 'nosuch' in the database\n"),
        ]
        for (arguments, message) in cases {
            let result = try exp(arguments, in: dir)
            #expect(result.status == 2, "\(arguments)")
            if !message.isEmpty { #expect(result.stderr == message, "\(arguments)") }
            #expect(result.stderr.split(separator: "\n").count == 1 || message.isEmpty, "\(arguments): \(result.stderr)")
        }
        #expect(try ok(["tag", "1"], in: dir) == "reviewed=yes\n")
        // A missing database is refused, not created.
        let missing = try exp(["tag", "1", "a=1", "--db", "missing.db"], in: dir)
        #expect(missing.status == 2 && missing.stderr.contains("no database at missing.db"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("missing.db").path))
    }

    @Test func notesAreSetPrintedReplacedAndDeleted() throws {
        let dir = try sweptFolder()
        #expect(try ok(["note", "--sweep", "lr", "Rates above 0.5 diverge.\nSee runs 3-4."], in: dir) == "sweep 'lr': note set\n")
        #expect(try ok(["note", "--sweep", "lr"], in: dir) == "Rates above 0.5 diverge.\nSee runs 3-4.\n")
        _ = try ok(["note", "2", "Best", "seed", "so", "far"], in: dir)
        #expect(try ok(["note", "2"], in: dir) == "Best seed so far\n")
        _ = try ok(["note", "2", "replaced"], in: dir)
        #expect(try ok(["note", "2"], in: dir) == "replaced\n")
        #expect(try ok(["note", "2", "--delete"], in: dir) == "run 2: note deleted\n")
        #expect(try ok(["note", "2"], in: dir) == "")
    }

    @Test func showPrintsTheRunsAndItsSweepsTagsAndNotes() throws {
        let dir = try sweptFolder()
        _ = try ok(["tag", "1", "reviewed=yes", "owner=ana"], in: dir)
        _ = try ok(["tag", "--sweep", "lr", "stage=baseline"], in: dir)
        _ = try ok(["note", "--sweep", "lr", "about the sweep"], in: dir)
        let text = try ok(["show", "1"], in: dir)
        for line in ["tags: owner=ana, reviewed=yes", "note: -", "sweep_tags: stage=baseline", "sweep_note: about the sweep"] {
            #expect(text.split(separator: "\n").contains(Substring(line)), "\(line) in \(text)")
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try ok(["show", "1", "--json"], in: dir).utf8)) as? [String: Any])
        #expect(json["tags"] as? [String: String] == ["owner": "ana", "reviewed": "yes"])
        #expect(json["note"] is NSNull)
        #expect(json["sweep_tags"] as? [String: String] == ["stage": "baseline"])
        #expect(json["sweep_note"] as? String == "about the sweep")
        let other = try #require(try JSONSerialization.jsonObject(with: Data(try ok(["show", "2", "--json"], in: dir).utf8)) as? [String: Any])
        #expect(other["tags"] as? [String: String] == [:])
    }

    @Test func runsFiltersByTagAndPrintsTags() throws {
        let dir = try sweptFolder()
        _ = try ok(["tag", "1", "reviewed=yes"], in: dir)
        _ = try ok(["tag", "2", "reviewed=no"], in: dir)
        _ = try ok(["note", "1", "checked"], in: dir)
        #expect(try records(["--where", "tag.reviewed=yes"], in: dir).map { $0["run_id"] as? Int } == [1])
        // A run without the tag matches only !=.
        #expect(try records(["--where", "tag.reviewed != yes"], in: dir).map { $0["run_id"] as? Int } == [2, 3, 4])
        #expect(try records(["--where", "tag.owner=ana"], in: dir).isEmpty)
        #expect(try records(["--where", "tag.reviewed=yes", "--where", "learning_rate=0.05"], in: dir).count <= 1)
        let sorted = try records(["--sort", "tag.reviewed", "--columns", "run_id"], in: dir)
        #expect(sorted.map { $0["run_id"] as? Int } == [2, 1, 3, 4])

        // Every JSON record has the run's tags; --columns picks tags, one tag, and the note.
        let all = try records([], in: dir)
        #expect(all.first?["tags"] as? [String: String] == ["reviewed": "yes"])
        #expect(all.last?["tags"] as? [String: String] == [:])
        let picked = try records(["--columns", "run_id,tag.reviewed,note", "--limit", "3"], in: dir)
        #expect(picked.first?["tag.reviewed"] as? String == "yes" && picked.first?["note"] as? String == "checked")
        #expect(picked[2]["tag.reviewed"] is NSNull && picked[2]["note"] is NSNull)
        let table = try ok(["runs", "--columns", "run_id,tags,note", "--limit", "3"], in: dir).split(separator: "\n")
        #expect(table == ["run\ttags\tnote", "1\treviewed=yes\tchecked", "2\treviewed=no\t-", "3\t-\t-"])
        let csv = try ok(["runs", "--csv", "--columns", "run_id,tags", "--limit", "3"], in: dir).split(separator: "\n")
        #expect(csv == ["run_id,tags", #"1,"{""reviewed"":""yes""}""#, #"2,"{""reviewed"":""no""}""#, "3,{}"])
        #expect(try ok(["runs", "--csv", "--limit", "1"], in: dir).hasPrefix("run_id,sweep,seed,fold,status,validation_accuracy,test_accuracy,duration_seconds,config,tags\n"))

        for (condition, message) in [("tag.reviewed<yes", "a tag takes only = or !="), ("tag.bad key=1", "tag key 'bad key' is not valid")] {
            let refused = try exp(["runs", "--where", condition], in: dir)
            #expect(refused.status == 2 && refused.stderr.contains(message), "\(refused.stderr)")
        }
        let sortTags = try exp(["runs", "--sort", "tags"], in: dir)
        #expect(sortTags.status == 2)
    }

    @Test func jsonAndTheTableListTheSameRuns() throws {
        let dir = try sweptFolder()
        _ = try ok(["tag", "3", "reviewed=yes"], in: dir)
        for arguments in [[], ["--sort", "-validation_accuracy,run_id"], ["--where", "learning_rate=0.5"], ["--where", "tag.reviewed!=yes"]] {
            let table = try ok(["runs"] + arguments, in: dir).split(separator: "\n").dropFirst().map { Int($0.split(separator: "\t")[0]) }
            let json = try records(arguments, in: dir).map { $0["run_id"] as? Int }
            #expect(!table.isEmpty && table == json, "\(arguments)")
            let lines = try ok(["runs", "--format", "jsonl"] + arguments, in: dir).split(separator: "\n")
            let jsonl = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(jsonl.map { $0?["run_id"] as? Int } == json, "\(arguments)")
        }
        // The configuration is an object, numbers are numbers.
        let first = try #require(try records(["--limit", "1"], in: dir).first)
        #expect((first["config"] as? [String: Any])?["hidden_layers"] as? [Int] == [3])
        #expect(first["validation_accuracy"] is Double && first["seed"] as? Int == 1)
    }

    @Test func mergeCopiesTagsAndNotesAndTheMostRecentValueWins() throws {
        let dir = try sweptFolder()
        _ = try ok(["db", "snapshot", "a.db"], in: dir)
        _ = try ok(["db", "snapshot", "b.db"], in: dir)
        _ = try ok(["tag", "1", "owner=ana", "--db", "a.db"], in: dir)
        _ = try ok(["note", "--sweep", "lr", "from a", "--db", "a.db"], in: dir)
        _ = try ok(["tag", "1", "owner=bo", "--db", "b.db"], in: dir)  // set later: wins
        let merged = try ok(["merge", "ab.db", "a.db", "b.db"], in: dir)
        #expect(merged.contains("a.db: 2 tags and notes copied; 0 set differently in both, the most recently set kept"), "\(merged)")
        #expect(merged.contains("b.db: 1 tags and notes copied; 1 set differently in both, the most recently set kept"), "\(merged)")
        #expect(try ok(["tag", "1", "--db", "ab.db"], in: dir) == "owner=bo\n")
        #expect(try ok(["note", "--sweep", "lr", "--db", "ab.db"], in: dir) == "from a\n")
        _ = try ok(["merge", "ba.db", "b.db", "a.db"], in: dir)
        #expect(try ok(["tag", "1", "--db", "ba.db"], in: dir) == "owner=bo\n")
        // Merging again changes nothing.
        _ = try ok(["merge", "ab.db", "a.db", "b.db"], in: dir)
        #expect(try ok(["tag", "1", "--db", "ab.db"], in: dir) == "owner=bo\n")
        #expect(try records(["--db", "ab.db", "--where", "tag.owner=bo"], in: dir).map { $0["run_id"] as? Int } == [1])
    }
}
