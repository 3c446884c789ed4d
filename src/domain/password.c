/* password.c - the password policy: length, spaces, control characters, common passwords. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "domain/password.h"
#include "util/banned.h"

/* Lower-case, sorted by bytes (strcmp order) for bsearch; only entries of 8
 * bytes or more, since shorter ones fail the length rule anyway. Drawn from
 * the published top lists (SecLists, the 2011 CSDN/Tianya leaks' top 100,
 * NordPass yearly lists) plus the product's own names. */
static const char *const common[] = {
    "!qaz2wsx",     "00000000",     "000000000",    "0000000000",   "0123456789",    "11111111",
    "111111111",    "1111111111",   "11111111a",    "11112222",     "1111aaaa",      "11223344",
    "11235813",     "12121212",     "123123123",    "123321123",    "12341234",      "12344321",
    "12345678",     "123456789",    "123456789.",   "1234567890",   "12345678910",   "123456789a",
    "123456789q",   "12345678a",    "12345678q",    "1234567a",     "1234567q",      "123456aa",
    "123456abc",    "123456asd",    "123456qq",     "123456qwe",    "12345abc",      "12345qwe",
    "12345qwert",   "12348765",     "1234abcd",     "1234qwer",     "1234qwerasdf",  "123abc123",
    "123qwe123",    "123qweasd",    "12qwaszx",     "13131313",     "13145200",      "131452000",
    "1314520520",   "1314520a",     "1314woaini",   "147258369",    "147852369",     "159357456",
    "159753456",    "19491001",     "19880808",     "19900101",     "19901010",      "19911111",
    "19920101",     "19930101",     "19941212",     "19950101",     "19960808",      "19970701",
    "19980101",     "19990101",     "1a2b3c4d",     "1q2w3e4r",     "1q2w3e4r5t",    "1qaz!qaz",
    "1qaz2wsx",     "1qaz2wsx3edc", "1qaz@wsx",     "1qazxsw2",     "20000101",      "20080808",
    "20202020",     "20212021",     "20222022",     "20232023",     "20242024",      "20252025",
    "20262026",     "22222222",     "2wsx3edc",     "31415926",     "314159265",     "321321321",
    "33333333",     "44444444",     "520131400",    "52013141",     "52013145",      "5201314520",
    "5201314a",     "520520520",    "5211314a",     "521521521",    "55555555",      "66666666",
    "666666666",    "77585210",     "7758521a",     "77777777",     "87654321",      "88888888",
    "888888888",    "8888888888",   "88889999",     "987654321",    "9876543210",    "99999999",
    "999999999",    "a123123123",   "a1234567",     "a12345678",    "a123456789",    "a1b2c3d4",
    "a1s2d3f4",     "a5201314",     "aa112233",     "aa123123",     "aa123456",      "aa12345678",
    "aa123456789",  "aaa12345",     "aaa123456",    "abc123123",    "abc12345",      "abc123456",
    "abc123456789", "abc@1234",     "abc@123456",   "abcd1234",     "abcd@1234",     "abcdefg1",
    "abcdefgh",     "admin#123",    "admin123",     "admin1234",    "admin12345",    "admin123456",
    "admin2024",    "admin2025",    "admin2026",    "admin888",     "admin@123",     "admin@1234",
    "admin@2024",   "admin@2025",   "admin@2026",   "adminadmin",   "administrator", "aini1314",
    "arsenal1",     "asd12345",     "asd123456",    "asdf1234",     "asdfghjk",      "asdfghjkl",
    "ashley12",     "audit123",     "audit1234",    "auditgrid",    "auditgrid1",    "auditgrid123",
    "baobao123",    "baseball",     "basketball",   "batman123",    "beijing1",      "caonima1",
    "changeme",     "changeme123",  "charlie1",     "chelsea1",     "chen1234",      "china123",
    "chinaren",     "computer",     "daniel12",     "demo1234",     "dolphins",      "dragon12",
    "football",     "freedom1",     "guest123",     "hello123",     "helloworld",    "huang123",
    "huawei12#$",   "huawei@123",   "iloveu1314",   "ilovey0u",     "iloveyou",      "iloveyou1",
    "iloveyou2",    "iloveyou520",  "internet",     "jennifer",     "jessica1",      "jordan23",
    "letmein1",     "li123456",     "liu123456",    "liverpool",    "lovelove",      "loveyou1",
    "manchester",   "master12",     "maverick",     "mercedes",     "michael1",      "michelle",
    "monkey12",     "mypassword",   "nankai123",    "nihao123",     "nihaoma1",      "p@ssw0rd",
    "p@ssw0rd1",    "p@ssw0rd123",  "p@ssword",     "pa$$word",     "pass1234",      "pass12345",
    "passpass",     "passw0rd",     "password",     "password!",    "password#123",  "password1",
    "password12",   "password123",  "password1234", "password2024", "password2025",  "password2026",
    "password@1",   "password@123", "passwort",     "pokemon1",     "princess",      "q1w2e3r4",
    "q1w2e3r4t5",   "qaz123456",    "qazwsx123",    "qazwsxedc",    "qq123456",      "qq12345678",
    "qq666666",     "qq888888",     "qwaszx12",     "qwe12345",     "qwe123456",     "qwe1234567",
    "qwe123qwe",    "qweasdzxc",    "qwer1234",     "qwer@1234",    "qwerty12",      "qwerty123",
    "qwerty1234",   "qwerty@123",   "qwertyui",     "qwertyuiop",   "root1234",      "root@123",
    "root@1234",    "rootroot",     "sa123456",     "sb123456",     "shadow12",      "shanghai",
    "shenji123",    "shenji1234",   "shenjiju",     "starwars",     "sunshine",      "superman",
    "test1234",     "test12345",    "test123456",   "test@123",     "test@1234",     "testtest",
    "tianjin1",     "toor1234",     "trustno1",     "user1234",     "w123456789",    "wang1234",
    "wang123456",   "welcome1",     "welcome123",   "welcome@123",  "whatever",      "wo123456",
    "woaibaba",     "woaimama",     "woaini12",     "woaini123",    "woaini1314",    "woaini520",
    "woaini521",    "woaiwo123",    "woaiwojia",    "wocaonima",    "wodemima",      "woshiniba",
    "woshishui",    "wsx123456",    "yang1234",     "zaq12wsx",     "zaq1xsw2",      "zhang123",
    "zhangwei",     "zhao1234",     "zhongguo",     "zhongguo1",    "zxc12345",      "zxc123456",
    "zxcv1234",     "zxcvbnm1",     "zxcvbnm123",   "zxcvbnma",
};

static int cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

bool password_is_common(const char *pw)
{
    char low[129];
    size_t n = pw ? strlen(pw) : 0;
    if (n >= sizeof low)
        return false; /* longer than any entry */
    for (size_t i = 0; i < n; i++)
        low[i] = pw[i] >= 'A' && pw[i] <= 'Z' ? (char)(pw[i] + 32) : pw[i];
    low[n] = '\0';
    return bsearch(low, common, sizeof common / sizeof common[0], sizeof common[0], cmp) != NULL;
}

/* Length of a space at p: ' ', U+00A0 or U+3000 (full-width, typed by a
 * Chinese input method); 0 when p is something else. */
static size_t space_at(const unsigned char *p)
{
    if (p[0] == ' ')
        return 1;
    if (p[0] == 0xc2 && p[1] == 0xa0)
        return 2;
    if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
        return 3;
    return 0;
}

ag_err password_check(const char *pw, ag_error *err)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < 8 || n > 128)
        return ag_fail(err, AG_ERR_INPUT, "password", "口令长度须为8-128字节",
                       "a password is 8 to 128 bytes long");
    const unsigned char *p = (const unsigned char *)pw;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] == 0x7f)
            return ag_fail(err, AG_ERR_INPUT, "password", "口令不能含控制字符（如换行、制表符）",
                           "a password cannot contain control characters (such as newline or tab)");
    size_t i = 0, s;
    while (i < n && (s = space_at(p + i)) > 0)
        i += s;
    if (i == n)
        return ag_fail(err, AG_ERR_INPUT, "password", "口令不能只由空格组成",
                       "a password cannot be only spaces");
    bool one_char = true;
    for (size_t j = 1; j < n && one_char; j++)
        one_char = p[j] == p[0];
    if (one_char || password_is_common(pw))
        return ag_fail(err, AG_ERR_INPUT, "password", "口令过于常见，容易被猜中，请换一个",
                       "this password is too common and easy to guess; choose another");
    return AG_OK;
}
