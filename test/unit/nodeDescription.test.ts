// The editor as n8n shows it: the node's properties (names, order, defaults, options, display
// options) compared with the snapshot taken before the template registry (issue 13). A refactor
// of how the description is put together must leave this test passing; a change to the editor
// updates the snapshot on purpose. Since the Conversation and Person resources (issue 22), the
// snapshot is the Message resource's: the same properties, each shown only for resource
// "message", so that saved workflows (which have no resource) keep every field they had.
import type { INodeProperties } from 'n8n-workflow';

import { MessengerSend } from '../../nodes/MessengerSend/MessengerSend.node';
import snapshot from './__fixtures__/nodeProperties.json';

const properties = JSON.parse(JSON.stringify(new MessengerSend().description.properties)) as INodeProperties[];
const shownFor = (property: INodeProperties) => property.displayOptions?.show?.resource;

/** A Message property without its resource condition (undefined for the other resources' properties). */
function withoutResource(property: INodeProperties): INodeProperties | undefined {
	const resource = shownFor(property);
	if (resource === undefined) return property;
	if (JSON.stringify(resource) !== JSON.stringify(['message'])) return undefined;
	const show = Object.fromEntries(Object.entries(property.displayOptions!.show!).filter(([name]) => name !== 'resource'));
	const displayOptions = { ...property.displayOptions, show };
	if (Object.keys(show).length === 0) delete (displayOptions as { show?: unknown }).show;
	const copy: INodeProperties = { ...property, displayOptions };
	if (Object.keys(displayOptions).length === 0) delete copy.displayOptions;
	return copy;
}

test('the Message resource’s properties are those of the snapshot, each with the resource condition added', () => {
	const message = properties.filter((property) => property.name !== 'resource').map(withoutResource).filter(Boolean);
	expect(message).toEqual(snapshot);
});

test('every property is the resource selector, the Page ID, or shown for one resource', () => {
	expect(properties[0]).toMatchObject({ name: 'resource', default: 'message' });
	const unconditional = properties.filter((property) => shownFor(property) === undefined).map((property) => property.name);
	expect(unconditional).toEqual(['resource', 'pageId']);
});
