/** The message JSON.parse gives for `text`, which differs between Node versions. */
export function jsonSyntaxError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${text} is valid JSON`);
}
