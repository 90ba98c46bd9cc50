// Property-based tests (fast-check) over the Conversation and Person actions' parameters: random
// values (expressions give numbers, objects, long texts, emoji) go through each action's real
// `read` and `plan`. Every run ends either with InvalidSendRequest naming the field and
// `item <n>`, or with a first Graph call that is well formed in both encodings the node sends
// (alone, and as a Graph batch operation the emulator's batch parser reads back).
import fc from "fast-check";
import type { IExecuteFunctions } from "n8n-workflow";

import { parseOperationBody } from "../../../emulator/requestBody.cjs";
import { GRAPH_ACTIONS } from "../../../nodes/MessengerSend/actions/index";
import { InvalidSendRequest } from "../../../nodes/MessengerSend/rules";
import {
  toBatchOperation,
  type GraphCall,
} from "../../../nodes/MessengerSend/transport/graphCalls";
import { numberFromEnv } from "../../helpers/testEnv.cjs";

const RUNS = numberFromEnv("FUZZ_RUNS", 2_000);
const SEED = numberFromEnv("FUZZ_SEED", 20_261_207);

const value = fc.oneof(
  fc.stringMatching(/^\d{1,20}$/),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", minLength: 990, maxLength: 1010 }),
  fc.integer({ min: -5, max: 2_000 }),
  fc.double(),
  fc.constantFrom(undefined, null, "", " 42 ", 2 ** 53 + 2, { id: 1 }, [
    1,
  ]),
);
const params = fc.record({
  psid: value,
  metadata: value,
  limit: value,
  targetAppId: value,
  pageId: fc.constantFrom("me", "1029384756", " "),
});

function stand(run: Record<string, unknown>): IExecuteFunctions {
  return {
    getNode: () => ({ name: "Messenger Send", parameters: run }),
    getNodeParameter: (name: string, _item: number, fallback?: unknown) =>
      run[name] ?? fallback ?? "",
  } as unknown as IExecuteFunctions;
}

const actions = Object.entries(GRAPH_ACTIONS).flatMap(([resource, byName]) =>
  Object.entries(byName).map(
    ([name, action]) => [`${resource}.${name}`, action] as const,
  ),
);

test.each(actions)(
  "%s: refused naming field and item, or a well-formed first call",
  (_name, action) => {
    fc.assert(
      fc.property(
        params,
        fc.nat(20),
        fc.constantFrom("messenger", "instagram"),
        (run, item, platform) => {
          let input: unknown;
          try {
            input = action.read(stand(run), item);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidSendRequest);
            expect((error as Error).message).toContain(`in item ${item}`);
            expect(
              (error as Error).message.startsWith(
                (error as InvalidSendRequest).field,
              ),
            ).toBe(true);
            return;
          }
          const step = action.plan(input, {
            pageId: String(run.pageId),
            platform: platform as "messenger",
            appId: "1",
          });
          if (!("call" in step))
            throw new Error("an action starts with a call");
          // The thread's owner is another app: the control actions' second call is their POST.
          const second = step.next({
            kind: "sent",
            statusCode: 200,
            body: { data: [{ thread_owner: { app_id: "0" } }] },
          });
          for (const { call } of "call" in second ? [step, second] : [step])
            checkCall(call);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  },
);

function checkCall(call: GraphCall): void {
  expect(call.path).toMatch(/^(me|1029384756)\/[a-z_]+$|^\d{1,32}$/);
  const operation = toBatchOperation(call, { appsecret_proof: "p" });
  if (call.method === "POST") {
    const body = parseOperationBody(operation.body);
    expect(JSON.parse(String(body.recipient))).toEqual({
      id: expect.stringMatching(/^\d{1,32}$/),
    });
    if (body.metadata !== undefined)
      expect([...String(body.metadata)].length).toBeLessThanOrEqual(1000);
    expect(body.appsecret_proof).toBe("p");
  } else {
    expect(
      new URL(
        String(operation.relative_url),
        "http://graph.local/",
      ).searchParams.get("appsecret_proof"),
    ).toBe("p");
  }
}
