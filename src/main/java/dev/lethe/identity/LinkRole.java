package dev.lethe.identity;

/**
 * What the first id of a stored link row is to the second. A person is walked along
 * {@link #OWNER} and {@link #SAME} rows only: an anonymous id that joined a person is covered by a
 * request for the person, but a request for the anonymous id does not reach the person, so a claim
 * forged with the public token cannot widen what a request for the forger's own id returns.
 */
public enum LinkRole {
    /** The first id is an anonymous id that joined the person the second id names. */
    MEMBER,
    /** The first id names a person that the second (anonymous) id joined. */
    OWNER,
    /** Both ids name one person: an alias, a merge made with the api_secret, or a link older than roles. */
    SAME;

    /** Whether a walk from the first id covers the second. */
    public boolean covers() {
        return this != MEMBER;
    }
}
