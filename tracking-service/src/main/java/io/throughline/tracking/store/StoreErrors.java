package io.throughline.tracking.store;

import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/** Which store failures mean "the store is not answering" (spool and retry) rather than a bug. */
public final class StoreErrors {

    private StoreErrors() {
    }

    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MongoSocketException || t instanceof MongoTimeoutException || t instanceof MongoNotPrimaryException
                    || t instanceof MongoNodeIsRecoveringException || t instanceof MongoConnectionPoolClearedException
                    || t instanceof MongoInterruptedException) {
                return true;
            }
        }
        return false;
    }
}
