# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for vmamap(1)

set -l __vmamap_classes text rodata data bss heap stack anon shared file guard kernel

# The proc root given with --proc-root, or /proc.
function __vmamap_proc_root
    set -l tokens (commandline -opc)
    set -l root /proc
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case --proc-root
                set -q tokens[(math $i + 1)]; and set root $tokens[(math $i + 1)]
            case '--proc-root=*'
                set root (string replace -- --proc-root= '' $tokens[$i])
        end
    end
    echo $root
end

# PIDs under the proc root, described by their comm.
function __vmamap_pids
    set -l root (__vmamap_proc_root)
    for d in $root/*
        set -l pid (string replace -r '.*/' '' -- $d)
        string match -qr '^[0-9]+$' -- $pid; or continue
        read -l comm <$d/comm 2>/dev/null
        # No control character from a process name reaches the terminal.
        printf '%s\t%s\n' $pid (string replace -ra '[[:cntrl:]]' '?' -- "$comm")
    end
end

# Names (comm) of the processes under the proc root; kernel threads (empty
# cmdline) and names with a '/' are left out.
function __vmamap_names
    set -l root (__vmamap_proc_root)
    for d in $root/*
        string match -qr '/[0-9]+$' -- $d; or continue
        read -l comm <$d/comm 2>/dev/null; or continue
        test -n "$comm"; and test -s $d/cmdline; or continue
        string match -q '*/*' -- $comm; or echo $comm
    end | sort -u
end

# A comma-separated class list: complete the part after the last comma.
function __vmamap_class_list
    set -l token (commandline -ct | string replace -r '^--class=' '')
    set -l done (string match -r '^.*,' -- $token)
    for c in text rodata data bss heap stack anon shared file guard kernel
        string match -q "*,$c,*" -- ",$done"; or echo "$done$c"
    end
end

# Sort keys: those of --all and --who-maps when given, else of the map.
function __vmamap_sort_keys
    if __fish_seen_argument -l all
        printf '%s\n' pid comm regions size rss pss swap text rodata data bss heap stack anon shared file guard kernel
    else if __fish_seen_argument -l who-maps
        printf '%s\n' pid comm regions size rss pss swap
    else
        printf '%s\t%s\n' start 'start address (default)' size 'size, descending' rss 'RSS, descending'
    end
end

complete -c vmamap -s p -l pid -x -a '(__vmamap_pids)' -d 'A target given as a process ID'
complete -c vmamap -s f -l file -r -F -d 'A target given as a saved maps/smaps file'
complete -c vmamap -l proc-root -x -a '(__fish_complete_directories)' -d 'Read processes from this directory, not /proc'
complete -c vmamap -s x -l smaps -d 'Read smaps: RSS, PSS, DIRTY and SWAP columns'
complete -c vmamap -s j -l json -d 'One JSON document instead of the table'
complete -c vmamap -s b -l bytes -d 'Sizes as exact byte counts'
complete -c vmamap -s c -l class -x -a '(__vmamap_class_list)' -d 'Only regions of these classes'
complete -c vmamap -s S -l sort -x -a '(__vmamap_sort_keys)' -d 'Order rows by this key'
complete -c vmamap -s g -l gaps -d 'Unmapped holes as rows'
complete -c vmamap -l ndjson -d 'With --json: one document per line'
complete -c vmamap -l format -x -a 'table json openmetrics' -d 'Output format'
complete -c vmamap -s s -l summary -d 'mm_struct counters, classes, images, holes'
complete -c vmamap -s a -l addr -x -a - -d 'Which region holds this address'
complete -c vmamap -l color -f -a '--color=auto --color=always --color=never' -d 'Colour rows by class'
complete -c vmamap -l diff -d 'Compare two targets region by region'
complete -c vmamap -l all-regions -d 'With --diff: unchanged regions too'
complete -c vmamap -l watch -d 'Follow a live process, print each change'
complete -c vmamap -l live -d 'Full-screen map, refreshed'
complete -c vmamap -s d -l delay -x -d 'With --watch or --live: seconds between reads'
complete -c vmamap -s n -l iterations -x -d 'With --watch or --live: stop after N'
complete -c vmamap -l all -d 'Every process: regions, size, RSS, PSS, swap, classes'
complete -c vmamap -l who-maps -r -F -d 'Every process that maps a file matching this glob'
complete -c vmamap -s h -l help -d 'Show help and exit'
complete -c vmamap -s V -l version -d 'Show the version and exit'

# Targets: a PID, self, a process name, or a file (fish offers files).
complete -c vmamap -n 'not string match -q -- "-*" (commandline -ct)' -a '(__vmamap_pids)'
complete -c vmamap -n 'not string match -q -- "-*" (commandline -ct)' -a self -d 'vmamap itself'
complete -c vmamap -n 'not string match -q -- "-*" (commandline -ct)' -a '(__vmamap_names)' -d 'process name'
