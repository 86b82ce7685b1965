// Parsing of a bootstrap-servers string ("host:port,host:port"). Universal: used by the
// connection form in the renderer and by the host, so both give the same error text.

export interface HostPort {
  host: string;
  port: number;
}

export type BootstrapParse = { ok: true; servers: HostPort[] } | { ok: false; error: string };

const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.%a-zA-Z0-9]+$/;

export function parseBootstrap(input: string): BootstrapParse {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, error: 'Bootstrap servers are empty: give at least one host:port, e.g. localhost:9092.' };
  const servers: HostPort[] = [];
  for (const raw of trimmed.split(',')) {
    const entry = raw.trim().replace(/^[A-Za-z_]+:\/\//, ''); // tolerate "PLAINTEXT://host:port" as Kafka listeners print it
    if (entry === '') return { ok: false, error: `Bootstrap servers "${trimmed}" contain an empty entry (two commas in a row?).` };
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
    if (close < 0 || entry[close + 1] !== ':') return `"${entry}" is not host:port: an IPv6 address needs the form [::1]:9092.`;
    host = entry.slice(1, close);
    portText = entry.slice(close + 2);
    if (!IPV6_CHARS.test(host)) return `"${host}" in "${entry}" is not an IPv6 address.`;
  } else {
    const colon = entry.lastIndexOf(':');
    if (colon < 0) return `"${entry}" has no port: write it as host:port, e.g. ${entry}:9092.`;
    host = entry.slice(0, colon);
    portText = entry.slice(colon + 1);
    if (host.includes(':')) return `"${entry}" looks like an IPv6 address: put it in brackets, e.g. [${host}]:${portText}.`;
    if (!HOSTNAME.test(host)) return `"${host}" in "${entry}" is not a valid host name or IP address.`;
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
