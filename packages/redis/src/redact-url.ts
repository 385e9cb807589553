/**
 * The URL with its credentials (user and password) replaced by `***`, for logs and errors:
 * `redis://***@host:port`. A URL without credentials is shown as it is.
 */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^@/]*@/i, "$1***@");
}
