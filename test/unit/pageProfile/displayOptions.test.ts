// Which fields the editor shows for the Page Profile and Persona actions (n8n-workflow's own
// display logic, test/helpers/editorDisplay.ts), and the resource and operation lists.
import { MessengerSend } from '../../../nodes/MessengerSend/MessengerSend.node';
import { shownFields } from '../../helpers/editorDisplay';

const { description } = new MessengerSend();
const selector = (name: string, resource?: string) =>
	description.properties.find((property) => property.name === name && (resource === undefined || property.displayOptions?.show?.resource?.includes(resource)));
const values = (name: string, resource?: string) => (selector(name, resource)?.options ?? []).map((option) => ('value' in option ? option.value : undefined));

test('the resources, alphabetical: Page Profile and Persona among them, Message still the default', () => {
	expect(values('resource')).toEqual(['conversation', 'message', 'pageProfile', 'person', 'persona']);
	expect(selector('resource')?.default).toBe('message');
	expect(values('operation', 'pageProfile')).toEqual(['delete', 'get', 'set']);
	expect(values('operation', 'persona')).toEqual(['create', 'delete', 'getAll']);
	expect(selector('operation', 'pageProfile')?.default).toBe('get');
	expect(selector('operation', 'persona')?.default).toBe('getAll');
});

describe('Page Profile', () => {
	test('Get and Delete: the properties to read or delete', () => {
		expect(shownFields({ resource: 'pageProfile', operation: 'get' })).toEqual(['operation', 'pageId', 'profileProperties']);
		expect(shownFields({ resource: 'pageProfile', operation: 'delete' })).toEqual(['operation', 'pageId', 'profileProperties']);
	});

	test('Set with fields: each chosen property’s fields, nothing of the others', () => {
		expect(shownFields({ resource: 'pageProfile', operation: 'set' })).toEqual(['inputMode', 'operation', 'pageId', 'profileProperties']);
		expect(shownFields({ resource: 'pageProfile', operation: 'set', profileProperties: ['greeting'] })).toEqual(['greetings', 'inputMode', 'operation', 'pageId', 'profileProperties']);
		expect(shownFields({ resource: 'pageProfile', operation: 'set', profileProperties: ['get_started', 'ice_breakers', 'persistent_menu', 'whitelisted_domains'] })).toEqual(
			['allowedDomains', 'composerInputDisabled', 'getStartedPayload', 'iceBreakers', 'inputMode', 'menuItems', 'operation', 'pageId', 'profileProperties'],
		);
	});

	test('Set with JSON: the JSON field only, whatever properties were chosen before', () => {
		expect(shownFields({ resource: 'pageProfile', operation: 'set', inputMode: 'json', profileProperties: ['greeting'] })).toEqual(['inputMode', 'operation', 'pageId', 'profileJson']);
	});

	test('a menu item shows the payload for a postback, the URL and height for a link', () => {
		const item = (selector('menuItems')?.options?.[0] as { values: Array<{ name: string; displayOptions?: { show?: { type?: string[] } } }> }).values;
		const shownFor = (type: string) => item.filter((field) => !field.displayOptions?.show?.type || field.displayOptions.show.type.includes(type)).map((field) => field.name);
		expect(shownFor('postback')).toEqual(['locale', 'payload', 'title', 'type']);
		expect(shownFor('web_url')).toEqual(['locale', 'title', 'type', 'url', 'webviewHeightRatio']);
	});
});

describe('Persona', () => {
	test.each([
		['create', ['operation', 'pageId', 'personaName', 'profilePictureUrl']],
		['getAll', ['limit', 'operation', 'pageId', 'returnAll']],
		['delete', ['operation', 'pageId', 'personaId']],
	])('%s', (operation, fields) => {
		expect(shownFields({ resource: 'persona', operation })).toEqual(fields);
	});

	test('Get Many: Return All hides the Limit', () => {
		expect(shownFields({ resource: 'persona', operation: 'getAll', returnAll: true })).toEqual(['operation', 'pageId', 'returnAll']);
	});

	test('every Persona ID field offers the Page’s personas as a list and an ID, the list first', () => {
		const locators = JSON.stringify(description.properties).match(/"name":"personaId","type":"resourceLocator"/g) ?? [];
		expect(locators.length).toBeGreaterThanOrEqual(4);
		const fields = [selector('personaId', 'persona'), selector('personaId', 'message')];
		for (const field of fields) {
			expect(field?.type).toBe('resourceLocator');
			expect(field?.default).toEqual({ mode: 'list', value: '' });
			expect(field?.modes?.map((mode) => [mode.name, mode.typeOptions?.searchListMethod])).toEqual([
				['list', 'searchPersonas'],
				['id', undefined],
			]);
		}
		expect(Object.keys(description.properties.length ? new MessengerSend().methods.listSearch : {})).toEqual(['searchPersonas']);
	});
});
