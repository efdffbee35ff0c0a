package io.ferry.sandbox;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One form the Kingdee simulator holds: its id, inner id field, the field keys it knows (a Save or a query naming
 * another key is refused with 元数据中标识为X的字段不存在) and its rows by number.
 */
final class KingdeeForm {

    final String id;
    final String idField;
    /** What a row is called in messages: 客户, 物料. */
    final String noun;
    private final Set<String> fields;
    final Map<String, Map<String, Object>> rows = new ConcurrentHashMap<>();
    final Map<Long, String> numbersById = new ConcurrentHashMap<>();

    private KingdeeForm(String id, String idField, String noun, Set<String> fields) {
        this.id = id;
        this.idField = idField;
        this.noun = noun;
        this.fields = fields;
    }

    /** BD_Customer: the template of protocols.md §1.8 and what a saved customer carries; FCUSTID, no FID. */
    static KingdeeForm customers() {
        return new KingdeeForm("BD_Customer", "FCUSTID", "客户", Set.of("FCUSTID", "FNumber", "FName", "FShortName", "FCreateOrgId",
                "FUseOrgId", "FDescription", "FCOUNTRY", "FPROVINCIAL", "FADDRESS", "FZIP", "FWEBSITE", "FTEL", "FFAX",
                "FTAXREGISTERCODE", "FGroup", "FCustTypeId", "FTRADINGCURRID", "FSETTLETYPEID", "FDocumentStatus",
                "FForbidStatus", "FCreateDate", "FModifyDate", "FCompanyClassify", "FCompanyNature", "FCompanyScale",
                "FSUPPLIERID", "FGROUPCUSTID", "FIsGroup", "FIsDefPayer", "FCorrespondOrgId", "FRECCONDITIONID",
                "FPRICELISTID", "FDISCOUNTLISTID", "FTRANSLEADTIME", "FTaxType", "FInvoiceType", "FTaxRate", "FPriority",
                "FRECEIVECURRID", "FISCREDITCHECK", "FIsTrade", "FT_BD_CUSTOMEREXT"));
    }

    /**
     * BD_MATERIAL with the common keys of its basic page (the simulator's choice: no source lists the form's
     * template); FMATERIALID is its inner id.
     */
    static KingdeeForm materials() {
        return new KingdeeForm("BD_MATERIAL", "FMATERIALID", "物料", Set.of("FMATERIALID", "FNumber", "FName", "FSpecification",
                "FOldNumber", "FMnemonicCode", "FDescription", "FCreateOrgId", "FUseOrgId", "FMaterialGroup", "FBaseUnitId",
                "FErpClsID", "FDocumentStatus", "FForbidStatus", "FCreateDate", "FModifyDate"));
    }

    /** A field key, or a reference's sub-key ({@code FCreateOrgId.FNumber}), this form has. */
    boolean knows(String key) {
        int dot = key.indexOf('.');
        return fields.contains(dot < 0 ? key : key.substring(0, dot));
    }
}
