import Foundation
import Testing
import TestSupport

/// A Slurm cluster of this one machine, for a test: Debian's `slurm-wlm` and `munge`, run as
/// root, with its configuration, state and logs in a scratch folder (`SLURM_CONF`).
///
/// `munged` is started unless one already answers, `slurmctld` and `slurmd` always; ``stop()``
/// ends what was started, by the pids in their pid files.
struct SingleNodeSlurm {
    /// The daemons and commands the cluster needs.
    static let programs = ["munged", "munge", "slurmctld", "slurmd", "sbatch", "sinfo"]

    /// True when the test can run a cluster: root, and every program installed.
    static var isAvailable: Bool {
        getuid() == 0 && programs.allSatisfy { which($0) != nil || which("/usr/sbin/\($0)") != nil }
    }

    let folder: URL
    /// The environment of a Slurm command: this process's, with `SLURM_CONF`.
    let environment: [String: String]
    private var startedMunge = false

    /// Writes the configuration and starts the daemons; returns once the node is idle.
    /// - Throws: when a daemon does not start or the node is not idle within a minute.
    init(in folder: URL) throws {
        self.folder = folder
        let host = ProcessInfo.processInfo.hostName
        let port = 17_000 + Int.random(in: 0..<5_000) * 2
        let conf = folder.appendingPathComponent("slurm.conf")
        for name in ["state", "spool", "log"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try """
            ClusterName=exptest
            SlurmctldHost=\(host)
            SlurmUser=root
            AuthType=auth/munge
            SlurmctldPort=\(port)
            SlurmdPort=\(port + 1)
            StateSaveLocation=\(folder.path)/state
            SlurmdSpoolDir=\(folder.path)/spool
            SlurmctldPidFile=\(folder.path)/slurmctld.pid
            SlurmdPidFile=\(folder.path)/slurmd.pid
            SlurmctldLogFile=\(folder.path)/log/slurmctld.log
            SlurmdLogFile=\(folder.path)/log/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            MpiDefault=none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            ReturnToService=2
            NodeName=\(host) CPUs=\(ProcessInfo.processInfo.activeProcessorCount) State=UNKNOWN
            PartitionName=test Nodes=\(host) Default=YES MaxTime=INFINITE State=UP

            """.write(to: conf, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["SLURM_CONF"] = conf.path
        self.environment = environment

        if try run("/bin/sh", ["-c", "munge -n | unmunge"]).status != 0 {
            // The package's key is in /etc/munge; munged needs its folders owned by munge.
            let folders = "/run/munge /var/log/munge /var/lib/munge /etc/munge"
            _ = try run("/bin/sh", ["-c", "mkdir -p \(folders) && chown munge:munge \(folders)"])
            let started = try startDaemon(["runuser", "-u", "munge", "--", "munged"])
            try #require(started.status == 0, "munged did not start: \(started.stderr)")
            startedMunge = true
        }
        for daemon in ["slurmctld", "slurmd"] {
            let started = try startDaemon([which(daemon) ?? "/usr/sbin/\(daemon)"])
            try #require(started.status == 0, "\(daemon) did not start: \(started.stderr)")
        }
        let deadline = Date().addingTimeInterval(60)
        while try run("sinfo", ["-h", "-o", "%t"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) != "idle" {
            let state = try run("sinfo", []).stdout
            try #require(Date() < deadline, "the node is not idle: \(state)")
            usleep(200_000)
        }
    }

    /// Runs a daemon that detaches itself, with no file descriptor of this process but its
    /// standard ones (one it kept open would keep `Process` waiting for it to end), and with
    /// every signal unblocked and default (this process's threads block most of them).
    private func startDaemon(_ command: [String]) throws -> ProgramResult {
        try run("/bin/bash", ["-c", #"for fd in /proc/$$/fd/*; do n=${fd##*/}; (( n > 2 )) && eval "exec $n>&-"; done; exec env --default-signal "$@""#,
                              "bash"] + command)
    }

    /// Runs a program (found on `PATH` or in `/usr/sbin`) with the cluster's environment.
    func run(_ program: String, _ arguments: [String], in directory: URL? = nil,
             environment extra: [String: String] = [:]) throws -> ProgramResult {
        let path = which(program) ?? which("/usr/sbin/\(program)") ?? program
        return try runProgram(URL(fileURLWithPath: path), arguments, in: directory,
                              environment: environment.merging(extra) { $1 })
    }

    /// Stops the daemons this cluster started and waits for them to exit.
    func stop() {
        var pidFiles = ["slurmd.pid", "slurmctld.pid"].map { folder.appendingPathComponent($0).path }
        if startedMunge { pidFiles.append("/run/munge/munged.pid") }
        for file in pidFiles {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8),
                  let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while kill(pid, 0) == 0, Date() < deadline { usleep(50_000) }
            if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        }
    }
}
