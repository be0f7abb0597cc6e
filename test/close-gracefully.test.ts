import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { pino } from 'pino';
import { closeGracefully } from '../src/api/closeGracefully.ts';

test('close lets a request in flight finish, and cuts one that outlasts the deadline so shutdown ends', async () => {
  const app = Fastify();
  let releaseSlow!: () => void;
  let slowStarted!: () => void;
  let hangStarted!: () => void;
  const started = Promise.all([new Promise<void>((r) => (slowStarted = r)), new Promise<void>((r) => (hangStarted = r))]);
  app.get('/slow', async () => {
    slowStarted();
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    return { finished: true };
  });
  app.get('/hang', () => {
    hangStarted();
    return new Promise(() => {});
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const slow = fetch(`${url}/slow`).then((res) => res.json());
  const hang = fetch(`${url}/hang`).then(
    () => 'answered',
    () => 'cut',
  );
  await started;

  const closed = closeGracefully(app, 1000, pino({ level: 'silent' }));
  releaseSlow();
  assert.deepEqual(await slow, { finished: true }, 'the request in flight got its whole answer');
  await closed;
  assert.equal(await hang, 'cut', 'the request past the deadline was cut, and close returned');
  await assert.rejects(fetch(`${url}/slow`), 'no new connections after close');
});
