// The suite's own configuration, so that no Vitest configuration elsewhere in the repository applies to it.
export default { test: { include: ['*.test.js'] } };
