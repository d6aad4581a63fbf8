import Foundation
import Tracker

extension ClaimOwner {
    /// This process as the owner of its claims: host name, pid, the machine's boot id
    /// (`/proc/sys/kernel/random/boot_id`) and its PID namespace (`/proc/self/ns/pid`), each
    /// nil where the system does not tell (then no peer compares pids with it).
    /// - Parameter heartbeatTimeout: seconds after its last heartbeat at which peers may take
    ///   this process's runs over (`exp sweep --heartbeat-timeout`).
    public static func thisProcess(heartbeatTimeout: Double = ClaimOwner.defaultHeartbeatTimeout) -> ClaimOwner {
        let bootID = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let namespace = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/pid")
        return ClaimOwner(host: ProcessInfo.processInfo.hostName, pid: Int(getpid()),
                          bootID: bootID?.isEmpty == false ? bootID : nil, pidNamespace: namespace, heartbeatTimeout: heartbeatTimeout)
    }
}

/// True when a process with this id exists in this process's PID namespace.
func processIsAlive(_ pid: Int) -> Bool {
    kill(pid_t(pid), 0) == 0 || errno == EPERM
}
