// Reading parameters once (request/parameters.ts): which raw values hold an expression, and the
// read-once context on a stand-in for n8n's, which counts how often it is asked.
import type { IExecuteFunctions, INodeParameters } from 'n8n-workflow';

import { containsExpression, readOnce } from '../../nodes/MessengerSend/request/parameters';

describe('containsExpression', () => {
	test.each<[string, unknown, boolean]>([
		['plain text', 'Hello', false],
		['text with = inside', 'a=b', false],
		['an expression', '={{ $json.psid }}', true],
		['text mixed with an expression', '=Hi {{ $json.name }}', true],
		['a bare =', '=', true],
		['a number, a boolean, null, undefined', [1, true, null, undefined], false],
		['an empty object and list', { a: {}, b: [] }, false],
		['a constant collection', { metadata: 'm', typingFirstSeconds: 2 }, false],
		['a collection with one expression field', { metadata: '={{ $json.tag }}', notificationType: 'REGULAR' }, true],
		['a fixedCollection with an expression deep inside', { element: [{ title: 'A', buttons: { button: [{ type: 'web_url', url: '={{ $json.url }}' }] } }] }, true],
		['a list of expressions', ['a', '={{ 1 }}'], true],
		['a resource locator', { __rl: true, mode: 'id', value: '={{ $json.id }}' }, true],
	])('%s', (_, value, expected) => {
		expect(containsExpression(value)).toBe(expected);
	});
});

/** A context like n8n's: a class whose methods need `this`, answering from `parameters`. */
class FakeContext {
	readonly reads: string[] = [];

	#items = 3;

	constructor(private readonly parameters: INodeParameters) {}

	getNode() {
		return { parameters: structuredClone(this.parameters) };
	}

	getInputData() {
		return Array.from({ length: this.#items }, () => ({ json: {} }));
	}

	getNodeParameter(name: string, item: number, fallback?: unknown, options?: { extractValue?: boolean }): unknown {
		this.reads.push(name);
		const value = name.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], this.parameters) ?? fallback;
		if (value === undefined) throw new Error(`Could not get parameter ${name} (item ${item})`);
		if (typeof value === 'string' && value.startsWith('=')) return `${value.slice(1)}#${item}`;
		if (options?.extractValue && typeof value === 'object' && value !== null) return (value as { value: unknown }).value;
		return typeof value === 'object' ? structuredClone(value) : value;
	}
}

function context(parameters: INodeParameters) {
	const fake = new FakeContext(parameters);
	return { fake, ctx: readOnce(fake as unknown as IExecuteFunctions) };
}

describe('readOnce', () => {
	test('a constant parameter is read once and the same value given to every item', () => {
		const { fake, ctx } = context({ text: 'Hi', options: { metadata: 'm' } });
		const values = [0, 1, 2].map((item) => ctx.getNodeParameter('options', item, {}));

		expect(values).toEqual([{ metadata: 'm' }, { metadata: 'm' }, { metadata: 'm' }]);
		expect(values[1]).toBe(values[0]);
		expect([0, 1, 2].map((item) => ctx.getNodeParameter('text', item, ''))).toEqual(['Hi', 'Hi', 'Hi']);
		expect(fake.reads).toEqual(['options', 'text']);
	});

	test('a parameter with an expression, at any depth, is read for each item', () => {
		const { fake, ctx } = context({ psid: '={{ $json.psid }}', options: { metadata: '=tag', personaId: '5' } });

		expect([0, 1].map((item) => ctx.getNodeParameter('psid', item))).toEqual(['{{ $json.psid }}#0', '{{ $json.psid }}#1']);
		expect([0, 1].map((item) => ctx.getNodeParameter('options.metadata', item, ''))).toEqual(['tag#0', 'tag#1']);
		[0, 1].forEach((item) => ctx.getNodeParameter('options', item, {}));
		// A constant field of a collection that holds an expression elsewhere is still read once.
		expect([0, 1].map((item) => ctx.getNodeParameter('options.personaId', item, ''))).toEqual(['5', '5']);
		expect(fake.reads).toEqual(['psid', 'psid', 'options.metadata', 'options.metadata', 'options', 'options', 'options.personaId']);
	});

	test('the fallback and the options are part of what is cached', () => {
		const { fake, ctx } = context({ id: { __rl: true, mode: 'id', value: '7' } });

		expect(ctx.getNodeParameter('absent', 0, 'a')).toBe('a');
		expect(ctx.getNodeParameter('absent', 1, 'b')).toBe('b');
		expect(ctx.getNodeParameter('id', 0, undefined, { extractValue: true })).toBe('7');
		expect(ctx.getNodeParameter('id', 1)).toEqual({ __rl: true, mode: 'id', value: '7' });
		expect(fake.reads).toEqual(['absent', 'absent', 'id', 'id']);
	});

	test('a failed read is not cached: every item gets its own error', () => {
		const { ctx } = context({});

		expect(() => ctx.getNodeParameter('missing', 0)).toThrow('Could not get parameter missing (item 0)');
		expect(() => ctx.getNodeParameter('missing', 1)).toThrow('Could not get parameter missing (item 1)');
	});

	test('every other member is the real context, its methods called on it', () => {
		const { fake, ctx } = context({});
		const { getInputData } = ctx;

		expect(getInputData()).toHaveLength(3);
		expect((ctx as unknown as FakeContext).reads).toBe(fake.reads);
	});
});
