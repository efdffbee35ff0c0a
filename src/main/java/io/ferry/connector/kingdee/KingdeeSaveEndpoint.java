package io.ferry.connector.kingdee;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code kingdee:batchSave?formId=BD_Customer&autoSubmitAndAudit=true&numberField=FNumber} or
 * {@code kingdee:save?formId=BD_MATERIAL&idField=FMATERIALID&submit=true&audit=true}: saves a batch of Model rows of
 * any form, see {@link KingdeeBatchSaveProducer}.
 */
@UriEndpoint(scheme = "kingdee", title = "Kingdee save", syntax = "kingdee:operation", producerOnly = true, category = { Category.SAAS })
public class KingdeeSaveEndpoint extends DefaultEndpoint implements io.ferry.kernel.RendersRequest {

    /** The inner id of BD_Customer (it has no FID, protocols.md §1.8); documents and most forms use FID. */
    static final String CUSTOMER_ID = "FCUSTID";
    static final String DEFAULT_ID = "FID";

    @UriPath(description = "batchSave (one BatchSave of up to batchSize rows) or save (one Save per row)")
    @Metadata(required = true)
    private final String operation;
    @UriParam(description = "The form (FormId) the rows are saved to, e.g. BD_Customer or BD_MATERIAL")
    @Metadata(required = true)
    private String formId;
    @UriParam(defaultValue = "false", description = "Sends IsAutoSubmitAndAudit: the server submits and audits each saved row itself")
    private boolean autoSubmitAndAudit;
    @UriParam(defaultValue = "false", description = "Sends IsVerifyBaseDataField: the server checks every base-data reference")
    private boolean verifyBaseDataField;
    @UriParam(defaultValue = "false", description = "Calls Submit with the Numbers of the rows each save saved")
    private boolean submit;
    @UriParam(defaultValue = "false", description = "Calls Audit with the Numbers of the rows each save saved, after Submit (audit=true submits first)")
    private boolean audit;
    @UriParam(defaultValue = "FNumber", description = "The form's number field: the rows' unique code, used to find a row saved before")
    private String numberField = "FNumber";
    @UriParam(description = "The form's inner id field; a row with it non-zero is an update. Defaults to FCUSTID for BD_Customer, else FID")
    private String idField;
    @UriParam(defaultValue = "20", description = "Rows per BatchSave")
    private int batchSize = 20;

    KingdeeSaveEndpoint(String uri, KingdeeComponent component, String operation) {
        super(uri, component);
        this.operation = operation;
    }

    void validate() {
        if (!isBatch() && !"save".equalsIgnoreCase(operation)) {
            throw new IllegalArgumentException(getEndpointUri() + ": unknown operation '" + operation + "' (expected batchSave, save or query)");
        }
        if (formId == null || formId.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": the parameter 'formId' is required (e.g. BD_Customer)");
        }
        if (numberField == null || numberField.isBlank()) {
            throw new IllegalArgumentException(getEndpointUri() + ": numberField must name the form's number field (e.g. FNumber)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException(getEndpointUri() + ": batchSize must be at least 1");
        }
        if (autoSubmitAndAudit && (submit || audit)) {
            throw new IllegalArgumentException(getEndpointUri() + ": autoSubmitAndAudit already has the server submit and audit the rows;"
                    + " use it or submit/audit, not both");
        }
    }

    /** The BatchSave (or Save) calls a batch of rows would be sent as, without sending them. */
    @Override
    public java.util.List<Object> render(java.util.List<?> rows) {
        return KingdeeBatchSaveProducer.render(this, rows);
    }

    @Override
    public Producer createProducer() {
        return new KingdeeBatchSaveProducer(this, (KingdeeComponent) getComponent());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("kingdee:" + operation + " is a producer: use it as a sync route's sink");
    }

    /** True for BatchSave (a list of rows per call), false for Save (one row per call). */
    boolean isBatch() {
        return "batchSave".equalsIgnoreCase(operation);
    }

    /** The WebAPI operation: BatchSave or Save. */
    String service() {
        return isBatch() ? "BatchSave" : "Save";
    }

    /** Rows per call: batchSize for BatchSave, one for Save. */
    int rowsPerCall() {
        return isBatch() ? batchSize : 1;
    }

    /** Submit is called when submit or audit is asked for (Kingdee audits only submitted rows). */
    boolean submits() {
        return submit || audit;
    }

    /** The form's inner id field: idField, else FCUSTID for BD_Customer and FID for any other form. */
    public String resolvedIdField() {
        if (idField != null && !idField.isBlank()) {
            return idField;
        }
        return "BD_Customer".equalsIgnoreCase(formId) ? CUSTOMER_ID : DEFAULT_ID;
    }

    public String getOperation() {
        return operation;
    }

    public String getFormId() {
        return formId;
    }

    public void setFormId(String formId) {
        this.formId = formId;
    }

    public boolean isAutoSubmitAndAudit() {
        return autoSubmitAndAudit;
    }

    public void setAutoSubmitAndAudit(boolean autoSubmitAndAudit) {
        this.autoSubmitAndAudit = autoSubmitAndAudit;
    }

    public boolean isVerifyBaseDataField() {
        return verifyBaseDataField;
    }

    public void setVerifyBaseDataField(boolean verifyBaseDataField) {
        this.verifyBaseDataField = verifyBaseDataField;
    }

    public boolean isSubmit() {
        return submit;
    }

    public void setSubmit(boolean submit) {
        this.submit = submit;
    }

    public boolean isAudit() {
        return audit;
    }

    public void setAudit(boolean audit) {
        this.audit = audit;
    }

    public String getNumberField() {
        return numberField;
    }

    public void setNumberField(String numberField) {
        this.numberField = numberField;
    }

    public String getIdField() {
        return idField;
    }

    public void setIdField(String idField) {
        this.idField = idField;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
