/** A command used wrongly (an unknown option, a value out of range): exit 2, with the command's usage. */
export class UsageError extends Error {}

/** A command that cannot do what was asked (a missing file, an unknown name): exit 1, one sentence. */
export class CliRefusal extends Error {}
