// The confirmation suite's fixed start: a second when a test file's process first loads it, as a shared setup module
// that starts a service would take. node:test runs each file in a process of its own, so every file pays it, in the
// confirming runs too.
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
