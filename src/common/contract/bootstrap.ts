// Parsing of a bootstrap-servers string ("host:port,host:port"). Universal: used by the
// connection form in the renderer and by the host, so both give the same error text.

export interface HostPort {
  host: string;
  port: number;
}

export type BootstrapParse = { ok: true; servers: HostPort[] } | { ok: false; error: string };

const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const ZONE_ID = /^[0-9A-Za-z_.~-]+$/;

/**
 * An IPv6 address as RFC 4291 writes it: eight groups of 1–4 hex digits, one run of zero
 * groups written "::" at most once, the last two groups possibly as an IPv4 address
 * (::ffff:10.0.0.1), and a zone after "%" (fe80::1%eth0).
 */
export function isIpv6Address(text: string): boolean {
  const percent = text.indexOf('%');
  const address = percent < 0 ? text : text.slice(0, percent);
  if (percent >= 0 && !ZONE_ID.test(text.slice(percent + 1))) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (part: string): string[] | null => (part === '' ? [] : part.split(':'));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (head === null || tail === null) return false;
  const all = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const group = all[i]!;
    if (i === all.length - 1 && group.includes('.')) {
      if (!IPV4.test(group)) return false;
      count += 2;
    } else if (HEX_GROUP.test(group)) count += 1;
    else return false;
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

export function parseBootstrap(input: string): BootstrapParse {
  const trimmed = input.trim();
  if (trimmed === '')
    return { ok: false, error: 'Bootstrap servers are empty: give at least one host:port, e.g. localhost:9092.' };
  const servers: HostPort[] = [];
  for (const raw of trimmed.split(',')) {
    const entry = raw.trim().replace(/^[A-Za-z_]+:\/\//, ''); // tolerate "PLAINTEXT://host:port" as Kafka listeners print it
    if (entry === '')
      return { ok: false, error: `Bootstrap servers "${trimmed}" contain an empty entry (two commas in a row?).` };
    const parsed = parseHostPort(entry);
    if (typeof parsed === 'string') return { ok: false, error: parsed };
    servers.push(parsed);
  }
  return { ok: true, servers };
}

function parseHostPort(entry: string): HostPort | string {
  let host: string;
  let portText: string;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0 || entry[close + 1] !== ':')
      return `"${entry}" is not host:port: an IPv6 address needs the form [::1]:9092.`;
    host = entry.slice(1, close);
    portText = entry.slice(close + 2);
    if (!isIpv6Address(host))
      return `"${host}" in "${entry}" is not an IPv6 address (groups of up to 4 hex digits separated by ":", e.g. [::1]:9092 or [2001:db8::10]:9092).`;
  } else {
    const colon = entry.lastIndexOf(':');
    if (colon < 0) return `"${entry}" has no port: write it as host:port, e.g. ${entry}:9092.`;
    host = entry.slice(0, colon);
    portText = entry.slice(colon + 1);
    if (host.includes(':')) {
      // More than one ":" outside brackets. Only a real IPv6 address is taken for one (and
      // then asked for in brackets); anything else is named for what it is.
      if (isIpv6Address(host) && /^\d{1,5}$/.test(portText))
        return `"${entry}" looks like an IPv6 address with a port: put the address in brackets, e.g. [${host}]:${portText}.`;
      if (isIpv6Address(entry))
        return `"${entry}" looks like an IPv6 address without a port: write it as [${entry}]:9092.`;
      const colons = entry.split(':').length - 1;
      return `"${entry}" is not host:port: it has ${colons} ":" and is not an IPv6 address (an IPv6 address goes in brackets, e.g. [::1]:9092; a host name has no ":").`;
    }
    if (!HOSTNAME.test(host) && !IPV4.test(host))
      return `"${host}" in "${entry}" is not a valid host name or IP address.`;
  }
  if (!/^\d{1,5}$/.test(portText)) return `Port "${portText}" in "${entry}" is not a number.`;
  const port = Number(portText);
  if (port < 1 || port > 65535) return `Port ${port} in "${entry}" is out of range (1–65535).`;
  return { host, port };
}

/** "host:port", with an IPv6 host in brackets. */
export function formatHostPort(server: HostPort): string {
  return server.host.includes(':') ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

export function formatBootstrap(servers: readonly HostPort[]): string {
  return servers.map(formatHostPort).join(',');
}
