/** Query-string encoding with the exact output of the official client (`encodeURIComponent` on keys and values). */
export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue>;

export function encodeQuery(query: Query): string {
  let encoded = "";
  for (const key of Object.keys(query)) {
    if (encoded.length > 0) encoded += "&";
    encoded += `${encodeURIComponent(key)}=${encodeURIComponent(String(query[key]))}`;
  }
  return encoded;
}

/** Parses `a=1&b=2` into `{ a: "1", b: "2" }`; malformed percent-escapes are kept as written instead of throwing. */
export function decodeQuery(text: string): Record<string, string> {
  const query: Record<string, string> = {};
  if (text.length === 0) return query;
  for (const pair of text.split("&")) {
    const [key, value] = splitOnce(pair, "=");
    query[safeDecode(key)] = safeDecode(value);
  }
  return query;
}

/** `a=b=c` split at `=` gives `["a", "b=c"]`; without the separator, the text and "". */
export function splitOnce(text: string, separator: string): [string, string] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, ""] : [text.slice(0, index), text.slice(index + 1)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
