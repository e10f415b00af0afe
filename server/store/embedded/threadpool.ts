/**
 * The embedded store waits for one `fdatasync` per workshop append, and Node runs each on its
 * libuv thread pool, 4 threads by default: with 200 workshops posting at once, appends queued
 * for a thread instead of for the disk (the bench's steady run: hub 36 % busy, posts seconds
 * late). More threads let the fsyncs of many workshops be in flight together, which the
 * kernel's journal commits as one. Read once, when the pool first starts, so this module is
 * imported first by the entry points; an operator's own UV_THREADPOOL_SIZE wins.
 */
export const EMBEDDED_THREADPOOL_SIZE = 64;

process.env.UV_THREADPOOL_SIZE ??= String(EMBEDDED_THREADPOOL_SIZE);
