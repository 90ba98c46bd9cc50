// The TCP sockets processes listen on, read from /proc (Linux): which ports a process tree holds and
// on which address, so a test can say that nothing listens beyond loopback.
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ListeningSocket {
	pid: number;
	command: string;
	address: string;
	port: number;
}

/** Every TCP socket listening in the given processes and all their descendants. */
export function listeningSocketsOf(roots: number[]): ListeningSocket[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
		} catch {
			// ended meanwhile
		}
	}
	const pids = new Set<number>();
	const visit = (pid: number) => {
		if (pids.has(pid)) return;
		pids.add(pid);
		(children.get(pid) ?? []).forEach(visit);
	};
	roots.forEach(visit);

	const listening = new Map<string, { address: string; port: number }>();
	for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as const) {
		if (!existsSync(file)) continue;
		for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length < 10 || fields[3] !== '0A') continue; // 0A: LISTEN
			const [hexAddress, hexPort] = fields[1].split(':');
			listening.set(fields[9], { address: v6 ? ipv6(hexAddress) : ipv4(hexAddress), port: parseInt(hexPort, 16) });
		}
	}
	const found: ListeningSocket[] = [];
	for (const pid of pids) {
		let fds: string[];
		let command: string;
		try {
			fds = readdirSync(`/proc/${pid}/fd`);
			command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(0, 3).join(' ');
		} catch {
			continue;
		}
		const inodes = new Set<string>();
		for (const fd of fds) {
			try {
				const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
				if (match) inodes.add(match[1]);
			} catch {
				// closed meanwhile
			}
		}
		for (const inode of inodes) {
			const socket = listening.get(inode);
			if (socket) found.push({ pid, command, ...socket });
		}
	}
	return found;
}

function ipv4(hex: string): string {
	return [3, 2, 1, 0].map((index) => parseInt(hex.slice(index * 2, index * 2 + 2), 16)).join('.');
}

/** /proc/net/tcp6 writes an address as four 32-bit words, each in host (little-endian) byte order. */
function ipv6(hex: string): string {
	const bytes: number[] = [];
	for (let word = 0; word < 4; word++) {
		const chunk = hex.slice(word * 8, word * 8 + 8);
		for (let index = 3; index >= 0; index--) bytes.push(parseInt(chunk.slice(index * 2, index * 2 + 2), 16));
	}
	if (bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
		return `::ffff:${bytes.slice(12).join('.')}`;
	}
	const groups: string[] = [];
	for (let index = 0; index < 16; index += 2) groups.push(((bytes[index] << 8) | bytes[index + 1]).toString(16));
	return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

export function isLoopback(address: string): boolean {
	return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}
