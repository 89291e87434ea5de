/**
 * Whether a URL's hostname is this machine: `localhost`, `::1` or an IPv4 address in 127.0.0.0/8.
 * A name that merely starts with "127." (`127.example.com`) is a DNS name anyone can point anywhere:
 * it is not loopback, so it gets neither plain HTTP with a key nor the environment's key.
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}
