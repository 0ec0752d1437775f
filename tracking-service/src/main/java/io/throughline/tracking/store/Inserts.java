package io.throughline.tracking.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;

/** Inserts where a document already there (same _id) is expected and fine: retries, replays, races. */
final class Inserts {

    private Inserts() {
    }

    /** Inserts what is new; returns the positions of the documents that were already there. Other errors are thrown. */
    static List<Integer> ignoringDuplicates(MongoCollection<Document> collection, List<Document> docs) {
        List<Integer> duplicates = new ArrayList<>();
        if (docs.isEmpty()) {
            return duplicates;
        }
        try {
            collection.insertMany(docs, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
                duplicates.add(error.getIndex());
            }
        }
        return duplicates;
    }
}
