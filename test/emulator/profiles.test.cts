// Person profiles: the User Profile API for PSIDs, Instagram's user fields for IGSIDs, only for
// people who wrote to the Page; Graph's errors otherwise.
import { batch, call, errorOf, PAGE, PSID, startEmulator, TOKEN } from './helpers.cjs';

const IG = { id: '17841400000000001', name: 'Demo Shop IG', token: 'TEST-IG-TOKEN', platform: 'instagram' as const };
const IGSID = '9876543210987654';

describe('person profiles', () => {
	test('a PSID that wrote: first_name, last_name, profile_pic (an expiring URL); fields as asked; the id always', async () => {
		const emulator = await startEmulator();
		await emulator.personMessage({ psid: PSID, text: 'hi', name: 'Ana Maria Silva' });
		const answer = await call(emulator, `/v25.0/${PSID}?fields=first_name,last_name,profile_pic`);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			first_name: 'Ana',
			last_name: 'Maria Silva',
			profile_pic: expect.stringMatching(new RegExp(`^https://platform-lookaside\\.fbsbx\\.emulator\\.invalid/platform/profilepic/\\?psid=${PSID}&height=1024&width=1024&ext=\\d+&hash=[0-9a-f]{12}$`)),
			id: PSID,
		});
		expect((await call(emulator, `/v25.0/${PSID}`)).body).toEqual(answer.body);
		expect((await call(emulator, `/v25.0/${PSID}?fields=name`)).body).toEqual({ name: 'Ana Maria Silva', id: PSID });
		// A profile given to a person action wins over the name.
		await emulator.personPostback({ psid: PSID, payload: 'GET_STARTED', profile: { firstName: 'Ana', lastName: 'Silva', profilePic: 'https://example.com/ana.jpg' } });
		expect((await call(emulator, `/v25.0/${PSID}?fields=first_name,last_name,profile_pic`)).body).toEqual({ first_name: 'Ana', last_name: 'Silva', profile_pic: 'https://example.com/ana.jpg', id: PSID });
		// Inside a batch too.
		const inBatch = await batch(emulator, [{ method: 'GET', relative_url: `${PSID}?fields=first_name` }]);
		expect(JSON.parse(inBatch.body[0].body)).toEqual({ first_name: 'Ana', id: PSID });
	});

	test('someone who never wrote: 100/33 as any unknown ID; reviewed fields and a token without profile access: 100/2018247; unknown fields: 100', async () => {
		const emulator = await startEmulator();
		const unknown = await call(emulator, `/v25.0/${PSID}`);
		expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
		await emulator.personMessage({ psid: PSID, text: 'hi' });
		expect((await call(emulator, `/v25.0/${PSID}?fields=first_name,last_name`)).body).toEqual({ first_name: 'Person', last_name: PSID, id: PSID });
		const reviewed = await call(emulator, `/v25.0/${PSID}?fields=first_name,locale`);
		expect(reviewed.body.error).toEqual({ message: '(#100) Insufficient permission to access user profile.', type: 'OAuthException', code: 100, error_subcode: 2018247, fbtrace_id: expect.any(String) });
		expect(errorOf(await call(emulator, `/v25.0/${PSID}?fields=email`))).toEqual({ status: 400, code: 100 });
		// The Page itself still answers as before.
		expect((await call(emulator, '/v25.0/me')).body).toEqual({ id: PAGE.id, name: PAGE.name });
		emulator.configure({ pages: [{ ...PAGE, canReadProfiles: false }] });
		expect(errorOf(await call(emulator, `/v25.0/${PSID}`))).toEqual({ status: 400, code: 100, subcode: 2018247 });
	});

	test('an IGSID that wrote: name, username, profile_pic, follower_count and the follows', async () => {
		const emulator = await startEmulator({ pages: [{ ...PAGE, token: TOKEN }, IG] });
		await emulator.personMessage({ psid: IGSID, pageId: IG.id, text: 'hey', name: 'Bea Costa', profile: { username: 'bea.costa', followerCount: 312, isUserFollowBusiness: true } });
		const fields = 'name,username,profile_pic,follower_count,is_user_follow_business,is_business_follow_user';
		expect((await call(emulator, `/v25.0/${IGSID}?fields=${fields}`, undefined, { token: IG.token })).body).toEqual({
			name: 'Bea Costa',
			username: 'bea.costa',
			profile_pic: expect.stringMatching(/^https:\/\/scontent\.cdninstagram\.emulator\.invalid\//),
			follower_count: 312,
			is_user_follow_business: true,
			is_business_follow_user: false,
			id: IGSID,
		});
		expect(errorOf(await call(emulator, `/v25.0/${IGSID}?fields=first_name`, undefined, { token: IG.token }))).toEqual({ status: 400, code: 100 });
		// The Messenger Page's token does not see the Instagram account's people.
		expect(errorOf(await call(emulator, `/v25.0/${IGSID}`))).toEqual({ status: 400, code: 100, subcode: 33 });
	});
});
