#!/usr/bin/env bash
# A real single-node SLURM on this machine, for the cluster test and for trying the profile:
# munged + slurmctld + slurmd from Debian's munge and slurm-wlm, all state in one folder.
#
#   tests/cluster/local_slurm.sh start     # prints `export SLURM_CONF=...` to eval
#   tests/cluster/local_slurm.sh stop      # stops exactly the daemons `start` started
#   tests/cluster/local_slurm.sh status
#
# The config is also placed at /etc/slurm/slurm.conf (marked as ours, removed by `stop`, and never
# over a config that is not ours): the Snakemake SLURM job-step executor runs `srun` inside each
# job with every SLURM_* variable but a few removed, SLURM_CONF included, so srun only finds the
# config at the default path. Accounting is off, so job state comes from squeue (see
# profiles/slurm). Needs root (slurmd runs jobs as the submitting user).
# Settings follow shared/notes/local-slurm.md (verified with slurm-wlm 22.05).
set -euo pipefail

STATE=${CROSSMODAL_SLURM_DIR:-/tmp/crossmodal-slurm}
PARTITION=${CROSSMODAL_SLURM_PARTITION:-debug}
CONF=$STATE/slurm.conf
ETC_CONF=/etc/slurm/slurm.conf
MARK="# crossmodal local test cluster: $STATE"
# munged runs as user munge and checks every folder above its socket and log, so its files live
# in a folder of their own under /tmp (the state folder may sit below a root-only one), named
# after the state folder so that two clusters never share it.
MUNGE=/tmp/crossmodal-munge-$(printf %s "$STATE" | md5sum | cut -c1-12)

die() { echo "local_slurm: $*" >&2; exit 1; }

require() {
    [ "$(id -u)" = 0 ] || die "needs root (slurmd must run jobs as the submitting user)"
    for cmd in munged slurmctld slurmd sinfo sbatch squeue; do
        command -v "$cmd" >/dev/null || die "$cmd not found: install the Debian packages slurm-wlm and munge"
    done
    id munge >/dev/null 2>&1 || die "user munge missing: install the Debian package munge"
}

write_conf() {
    local host cpus mem
    host=$(hostname -s)
    cpus=$(nproc)
    # Leave 1 GiB to the system so slurmd's memory check passes.
    mem=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 1024 ))
    cat > "$CONF" <<CONF
$MARK
ClusterName=crossmodal
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
SlurmctldPort=${CROSSMODAL_SLURMCTLD_PORT:-16817}
SlurmdPort=${CROSSMODAL_SLURMD_PORT:-16818}
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
SchedulerType=sched/backfill
MinJobAge=3600
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=$PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
    require
    if running "$STATE/slurmctld.pid"; then
        echo "export SLURM_CONF=$CONF"
        return
    fi
    if [ -e "$ETC_CONF" ] && ! grep -q "^# crossmodal local test cluster" "$ETC_CONF"; then
        die "$ETC_CONF exists and is not one of ours: this machine has a SLURM of its own"
    fi
    mkdir -p "$STATE"/{ctld,d} "$MUNGE" "$(dirname "$ETC_CONF")"
    chown munge:munge "$MUNGE"
    chmod 755 "$MUNGE" # clients need to reach the socket
    write_conf
    cp "$CONF" "$ETC_CONF"
    # munged as its own user with its own socket, so a system munged (if any) is left alone.
    runuser -u munge -- munged --key-file=/etc/munge/munge.key \
        --socket="$MUNGE/munge.socket" --pid-file="$MUNGE/munged.pid" \
        --log-file="$MUNGE/munged.log" --seed-file="$MUNGE/munged.seed"
    SLURM_CONF=$CONF slurmctld -f "$CONF"
    SLURM_CONF=$CONF slurmd -f "$CONF"
    for _ in $(seq 60); do
        if SLURM_CONF=$CONF sinfo -h -o %t 2>/dev/null | grep -qx idle; then
            echo "export SLURM_CONF=$CONF"
            return
        fi
        sleep 1
    done
    die "the node did not become idle within 60 s; see $STATE/slurmctld.log and $STATE/slurmd.log"
}

stop() {
    local pidfile
    for pidfile in "$STATE/slurmd.pid" "$STATE/slurmctld.pid" "$MUNGE/munged.pid"; do
        if running "$pidfile"; then
            kill "$(cat "$pidfile")"
            for _ in $(seq 20); do running "$pidfile" || break; sleep 0.5; done
        fi
        rm -f "$pidfile"
    done
    rm -rf "$MUNGE"
    if [ -f "$ETC_CONF" ] && grep -qxF "$MARK" "$ETC_CONF"; then
        rm -f "$ETC_CONF"
    fi
}

status() {
    running "$STATE/slurmctld.pid" || { echo "not running"; return 1; }
    SLURM_CONF=$CONF sinfo
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) die "usage: $0 start|stop|status" ;;
esac
