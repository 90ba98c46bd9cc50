// Get Person (User Profile API), run by n8n's engine: the exact call per platform, the output
// items, and the App Review error explained.
import { credentials, send, useGraphServer } from '../../../helpers/fixtures';
import { fakeGraph, ok } from '../../../helpers/conversationGraph';
import { graphError } from '../../../helpers/graphReplies';

useGraphServer();

const PSID = '6789012345678901';
const NOTE = 'profile_pic URLs expire after a few days: download the picture if you keep it, or ask again';

test('Messenger: first name, last name, picture', async () => {
	const calls = fakeGraph(() => ok({ id: PSID, first_name: 'Ann', last_name: 'Lee', profile_pic: 'https://cdn.example/ann.jpg' }));
	const run = await send({ resource: 'person', operation: 'getPerson', psid: PSID });

	expect(calls).toEqual([{ method: 'GET', path: PSID, query: { fields: 'first_name,last_name,profile_pic' }, batched: false }]);
	expect(run.items).toEqual([
		{ json: { id: PSID, platform: 'messenger', firstName: 'Ann', lastName: 'Lee', name: 'Ann Lee', profilePic: 'https://cdn.example/ann.jpg', profilePicExpires: NOTE }, pairedItem: { item: 0 } },
	]);
});

test('Instagram: name, username, picture and follows', async () => {
	const calls = fakeGraph(() => ok({ id: PSID, name: 'Ann Lee', username: 'ann.lee', profile_pic: 'https://cdn.example/a.jpg', follower_count: 321, is_user_follow_business: true, is_business_follow_user: false }));
	const run = await send({ resource: 'person', operation: 'getPerson', psid: PSID }, { credentials: credentials({ platform: 'instagram' }) });

	expect(calls[0].query).toEqual({ fields: 'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user' });
	expect(run.items[0].json).toEqual({
		id: PSID, platform: 'instagram', name: 'Ann Lee', username: 'ann.lee', profilePic: 'https://cdn.example/a.jpg', profilePicExpires: NOTE, followerCount: 321, isUserFollowBusiness: true, isBusinessFollowUser: false,
	});
});

test('no profile access: Business Asset User Profile Access explained; the other items go on (Continue On Fail)', async () => {
	fakeGraph((call) => (call.path === '12' ? graphError(10, 2018218, '(#10) Requires Business Asset User Profile Access') : ok({ id: call.path, first_name: 'Bo', last_name: 'Ek' })));
	const run = await send({ resource: 'person', operation: 'getPerson', psid: '={{ $json.psid }}' }, { items: [{ json: { psid: '11' } }, { json: { psid: '12' } }], continueOnFail: true });

	expect(run.items[0]).toMatchObject({ json: { firstName: 'Bo', name: 'Bo Ek', profilePic: null }, pairedItem: { item: 0 } });
	expect(run.items[1].pairedItem).toEqual({ item: 1 });
	expect(run.items[1].json).toMatchObject({ error: 'The app may not read this person’s profile (item 1)', code: 10, error_subcode: 2018218 });
	expect(run.items[1].json.description).toContain('“Business Asset User Profile Access” feature (App Dashboard → App Review → Permissions and Features');
});
